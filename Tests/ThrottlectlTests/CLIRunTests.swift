import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `throttlectl run` refusing what an operator may type, before it touches the kernel: usage errors exit 64,
/// a bad policy 65 with `FILE:LINE:COLUMN`, a missing one 66. Each of these ends at once (a timeout guards a
/// daemon that would start instead).
struct CLIRunTests {
    static func run(_ arguments: [String]) throws -> BinaryRunner.Result {
        try BinaryRunner.run(["run"] + arguments + ["--state-dir", "/nonexistent/state", "--run-dir", "/nonexistent/run"],
                             timeout: 20)
    }

    static let policy = BinaryRunner.example("mars-documented.yaml")

    @Test(arguments: [
        (["--policy", policy], "give at least one --interface"),
        (["--policy", policy, "-i", "eth0", "-i", "eth0"], "--interface eth0 is given twice"),
        (["--policy", policy, "-i", "a/b"], "a/b"),
        (["--policy", policy, "-i", "eth0", "--metrics-file", "/nonexistent/folder/t.prom"], "does not exist"),
        (["--policy", policy, "-i", "eth0", "--metrics-file", "/tmp/"], "names a folder"),
        (["-i", "eth0"], "no policy given"),
        (["-i", "eth0", "--work-days", "mon"], "missing --start-work-hour"),
        (["--policy", policy, "-i", "eth0", "--bogus"], "unknown option '--bogus'"),
        (["--policy", policy, "--policy", policy, "-i", "eth0"], "--policy is given 2 times"),
    ] as [([String], String)])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let result = try Self.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aBadPolicyExits65WithFileLineColumnBeforeAnythingElse() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("thr-run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/policy.yaml"
        try "time-zone: UTC\nwork-days: mon-fri\nwork-hours: {start: \"09:00\", end: \"17:00\"}\n"
            .appending("work-hour-bandwidth: fast\nnon-work-hour-bandwidth: 1mbit\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let result = try Self.run(["--policy", path, "-i", "eth0"])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("\(path):4:22: "), "\(result.stderr)")
        // Refused before any state or lock folder is made (they would be created by the first pass).
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent"))
    }

    @Test func aMissingPolicyFileExits66() throws {
        let result = try Self.run(["--policy", "/nonexistent/policy.yaml", "-i", "eth0"])
        #expect(result.status == 66, "\(result.stderr)")
        #expect(result.stderr.contains("/nonexistent/policy.yaml"))
    }

    /// An unsafe `--state-dir` or `--run-dir` is for the operator to fix: `run` ends before applying anything,
    /// with `apply`'s codes (73 and 1), instead of logging it every 2 s for ever.
    @Test(arguments: [("--state-dir", Int32(73)), ("--run-dir", Int32(1))])
    func anUnsafeStateOrRunDirectoryEndsRunAtStart(flag: String, status: Int32) throws {
        guard geteuid() == 0 else { return }  // without root, the capability check (77) comes first
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("thr-run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let open = folder + "/open"
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: false)
        chmod(open, 0o777)
        var directories = ["--state-dir": folder + "/state", "--run-dir": folder + "/run"]
        directories[flag] = open
        let result = try BinaryRunner.run(
            ["run", "--policy", Self.policy, "-i", "thrnosuch0", "--state-dir", directories["--state-dir"]!,
             "--run-dir", directories["--run-dir"]!], timeout: 20)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains("\(open) is not safe for throttlectl's files"), "\(result.stderr)")
        #expect(!result.stderr.contains("event=start"), "ended before the daemon started: \(result.stderr)")
    }

    /// A FIFO as the policy: `run` would re-read it on every SIGHUP, and block there while a writer holds it
    /// open: refused at start (66), at once even with such a writer.
    @Test func aFIFOPolicyIsRefusedAtStart() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("thr-run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/policy.yaml"
        #expect(mkfifo(path, 0o600) == 0)
        let writer = open(path, O_RDWR | O_NONBLOCK)
        #expect(writer >= 0)
        defer { close(writer) }
        let result = try Self.run(["--policy", path, "-i", "eth0"])
        #expect(result.status == 66, "\(result.stderr)")
        #expect(result.stderr.contains("\(path): is not a regular file"), "\(result.stderr)")
    }

    @Test func theHelpListsRunAndItsExitCodes() throws {
        let root = try BinaryRunner.run(["--help"])
        #expect(root.stdout.contains("run "), "\(root.stdout)")
        let help = try BinaryRunner.run(["run", "--help"])
        #expect(help.status == 0)
        for text in ["--metrics-file", "--clear-on-exit", "--interface", "--state-dir", "--run-dir", "SIGHUP",
                     "Exit codes: 0 stopped by SIGTERM/SIGINT"] {
            #expect(help.stdout.contains(text), "\(text)")
        }
        let apply = try BinaryRunner.run(["apply", "--help"])
        #expect(apply.stdout.contains("--metrics-file"))
    }
}
