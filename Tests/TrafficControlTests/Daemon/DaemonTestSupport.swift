import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `throttlectl run` started in the background inside a namespace, its log (standard error) collected in a
/// file as it is written, so that a test can wait for an event while the daemon keeps running.
final class DaemonRun {
    let process = Process()
    let logPath: String
    let directory: String

    /// Starts `throttlectl run arguments… --state-dir … --run-dir …` in `namespace`; `runDirectory` shares
    /// another run's lock folder (two daemons on one interface).
    init(_ arguments: [String], namespace: String, environment: [String: String] = [:],
         runDirectory: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("thr-run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        logPath = directory + "/stderr.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", namespace, BinaryRunner.executable.path, "run"] + arguments
            + ["--state-dir", directory + "/state", "--run-dir", runDirectory ?? directory + "/run"]
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "Etc/UTC"
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The log lines that contain `needle`.
    func lines(containing needle: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter { $0.contains(needle) }
    }

    /// Waits until the log has `count` lines containing `needle`; false after `timeout` seconds.
    @discardableResult
    func waitForLog(_ needle: String, count: Int = 1, timeout: Double = 15) -> Bool {
        waitUntil(timeout: timeout) { self.lines(containing: needle).count >= count } != nil
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// The exit status, or `nil` (and the process killed) after `timeout` seconds.
    func waitForExit(timeout: Double = 15) -> Int32? {
        guard waitUntil(timeout: timeout, { !self.process.isRunning }) != nil else {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Checks `condition` every 10 ms until it holds (returns when it did) or `timeout` seconds pass (`nil`).
/// Tests may poll; the product never does.
func waitUntil(timeout: Double, _ condition: () -> Bool) -> Date? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return Date() }
        usleep(10_000)
    }
    return condition() ? Date() : nil
}

extension ScratchNamespace {
    /// The rate (bytes/s) of throttlectl's root TBF on `device` (handle 7470: or 7471:), from `tc -j`.
    func ourTBFRate(_ device: String) -> UInt64? {
        guard let output = try? tc(["-j", "qdisc", "show", "dev", device], allowFailure: true).output,
            let list = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]]
        else { return nil }
        for qdisc in list where qdisc["kind"] as? String == "tbf" && (qdisc["root"] as? Bool ?? false) {
            guard let handle = qdisc["handle"] as? String, handle == "7470:" || handle == "7471:",
                let options = qdisc["options"] as? [String: Any], let rate = options["rate"] as? NSNumber
            else { continue }
            return rate.uint64Value
        }
        return nil
    }
}

/// A policy file in a fresh temporary folder (mode 0700, so that root may apply it).
final class PolicyFile {
    let folder: String
    let path: String

    init(_ text: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("thr-pol-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        path = folder + "/policy.yaml"
        try write(text)
    }

    func write(_ text: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }
}
