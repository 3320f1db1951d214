import Foundation
import Testing
import TestSupport

/// End-to-end: `throttlectl validate` and `profiles`, run as a user would.
struct CLIValidateTests {
    @Test(arguments: ["mars-documented.yaml", "office-hours.yaml", "overnight.yaml", "holidays.yaml", "no-throttle.json"])
    func bundledExamplesAreValid(name: String) throws {
        let path = BinaryRunner.example(name)
        let result = try BinaryRunner.run(["validate", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("\(path): valid: "))
        #expect(result.stdout.split(separator: "\n").count == 1)
        #expect(result.stderr.isEmpty)
    }

    @Test func marsExampleSummary() throws {
        let result = try BinaryRunner.run(["validate", BinaryRunner.example("mars-documented.yaml")])
        #expect(result.stdout.contains(
            "throttled Mon, Tue 09:00–18:00 at 512 Kibit/s, otherwise 2 Mibit/s (time zone Europe/Berlin, "
                + "OS profile windows-server-2019)"))
    }

    @Test func windows7PolicyIsRefusedWithExit69() throws {
        let path = BinaryRunner.example("refused-windows-7.yaml")
        for arguments in [["validate", path], ["show", "--policy", path], ["simulate", "--policy", path,
            "--from", "2026-11-23T00:00:00Z", "--to", "2026-11-24T00:00:00Z"]] {
            let result = try BinaryRunner.run(arguments)
            #expect(result.status == 69, "\(arguments)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("\(path):5:13: network throttling is not available for machines running "
                + "Windows Server 2008 R2, Windows Server 2008 SP2 or Windows 7"))
            #expect(result.stderr.contains("\"windows-7\""))
        }
    }

    @Test func malformedFileGetsLineAndColumnAndExit65() throws {
        let file = try TemporaryFile(contents: """
            time-zone: Europe/Berlin
            work-days: [mon, funday]
            work-hours: {start: "09:00", end: "18:00"}
            work-hour-bandwidth: 10Mbps
            non-work-hour-bandwidth: 2mibit
            """)
        let result = try BinaryRunner.run(["validate", file.path])
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("\(file.path):2:18: unknown day \"funday\"") == true)
        #expect(lines.last?.hasPrefix("\(file.path):4:22: \"10Mbps\" is ambiguous") == true)
    }

    @Test func missingFileExits66() throws {
        let result = try BinaryRunner.run(["validate", "/nonexistent/policy.yaml"])
        #expect(result.status == 66)
        #expect(result.stderr == "/nonexistent/policy.yaml: the policy file does not exist\n")
    }

    @Test func validateNeedsAFile() throws {
        let result = try BinaryRunner.run(["validate"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("Missing expected argument"))
    }

    @Test func profilesListsEveryProfile() throws {
        let text = try BinaryRunner.run(["profiles"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("windows-7"))
        let json = try BinaryRunner.run(["profiles", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 14)
        let refused = rows.filter { $0["throttling"] as? Bool == false }.compactMap { $0["name"] as? String }
        #expect(Set(refused) == ["windows-server-2008-r2", "windows-server-2008-sp2", "windows-7"])
        let linux = try #require(rows.first { $0["name"] as? String == "linux" })
        #expect(linux["minimumBitsPerSecond"] as? Int == 8000)
    }

    @Test func versionAndHelp() throws {
        let version = try BinaryRunner.run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("throttlectl 0.1.0 (tzdata "))
        for command in ["validate", "show", "simulate", "profiles", "params", "apply", "status", "clear"] {
            let help = try BinaryRunner.run([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Examples:"), "\(command) --help has examples")
        }
        let root = try BinaryRunner.run(["--help"])
        #expect(root.stdout.contains("69 profile cannot be throttled"))
    }
}

/// A file in the temporary folder, removed when the value goes away.
final class TemporaryFile {
    let path: String

    init(contents: String, suffix: String = ".yaml") throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("throttlectl-test-\(UUID().uuidString)\(suffix)").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
