import Foundation
import TestSupport
import Testing

/// End-to-end: zones come from the system's TZif files, `--version` names the tzdata, bad names exit 65.
struct CLITimeZoneTests {
    static let hours = [
        "--work-days", "mon-fri", "--start-work-hour", "09:00", "--end-work-hour", "17:00",
        "--work-hour-bandwidth", "1mbit", "--non-work-hour-bandwidth", "2mbit",
    ]

    @Test func versionNamesTheTzdataItReads() throws {
        let zi = try String(contentsOfFile: "/usr/share/zoneinfo/tzdata.zi", encoding: .utf8)
        let version = try #require(zi.split(separator: "\n").first?.split(separator: " ").last)
        let result = try BinaryRunner.run(["--version"], environment: ["TZ": "Etc/UTC", "TZDIR": ""])
        #expect(result.status == 0)
        #expect(result.stdout == "throttlectl 0.1.0 (tzdata \(version) from /usr/share/zoneinfo)\n")

        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("tzdir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let unknown = try BinaryRunner.run(["--version"], environment: ["TZDIR": empty.path])
        #expect(unknown.status == 0 && unknown.stdout == "throttlectl 0.1.0 (tzdata unknown from \(empty.path))\n")
    }

    /// issue 7: tzdata 2026f keeps Havana on −04 after 2026-03-08 and moves Casablanca to +00 on 2026-09-20.
    @Test func showUsesTheSystemTzdata() throws {
        let havana = try BinaryRunner.run(
            ["show"] + Self.hours + [
                "--time-zone", "America/Havana",
                "--at", "2026-11-16T12:00:00Z",
            ])
        #expect(havana.status == 0, "\(havana.stderr)")
        #expect(
            havana.stdout.contains("since 2026-11-13T17:00:00-04:00, until 2026-11-16T09:00:00-04:00"),
            "\(havana.stdout)")
        let casablanca = try BinaryRunner.run(
            ["show"] + Self.hours + ["--at", "2026-10-16T12:00:00Z"],
            environment: ["TZ": "Africa/Casablanca"])
        #expect(
            casablanca.stdout.contains("since 2026-10-16T09:00:00+00:00, until 2026-10-16T17:00:00+00:00"),
            "\(casablanca.stdout)")
    }

    @Test(arguments: [
        "UTC+5", "../../etc/passwd", "/etc/passwd", "", "Mars/Olympus", "America",
        "localtime", "posixrules", "posix/Europe/Berlin", "right/Europe/Berlin", "Factory", "posix", "right",
    ])
    func namesThatAreNotZonesExit65(name: String) throws {
        let result = try BinaryRunner.run(["show", "--no-throttle", "--time-zone", name])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("--time-zone: unknown time zone \"\(name)\""), "\(result.stderr)")
        #expect(result.stderr.contains("/usr/share/zoneinfo") && result.stderr.contains("Europe/Berlin"))
    }

    @Test(arguments: [("posix/Europe/Berlin", "write \"Europe/Berlin\""), ("right/UTC", "leap seconds")])
    func copiesOfZonesNameTheZone(name: String, advice: String) throws {
        let result = try BinaryRunner.run(["show", "--no-throttle", "--time-zone", name])
        #expect(result.status == 65)
        #expect(result.stderr.contains(advice), "\(result.stderr)")
    }

    @Test func aZoneFileOutsideTheSystemFolderIsReadFromTZDIR() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tzdir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("Test"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            atPath: "/usr/share/zoneinfo/Asia/Kathmandu",
            toPath: folder.appendingPathComponent("Test/Kathmandu").path)
        let result = try BinaryRunner.run(
            ["show", "--no-throttle", "--time-zone", "Test/Kathmandu", "--json"],
            environment: ["TZ": "Test/Kathmandu", "TZDIR": folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"timeZone\" : \"Test/Kathmandu\"") || result.stdout.contains("Test/Kathmandu"))
        let refused = try BinaryRunner.run(
            ["show", "--no-throttle", "--time-zone", "Europe/Berlin"],
            environment: ["TZDIR": folder.path])
        #expect(refused.status == 65 && refused.stderr.contains("under \(folder.path)"))
    }
}
