import Foundation

/// Runs the built `throttlectl` binary and captures what it prints.
public struct BinaryRunner {
    public struct Result {
        public let status: Int32
        public let stdout: String
        public let stderr: String

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// The built executable: beside the test bundle in SwiftPM's products folder, or `THROTTLECTL_BINARY`.
    public static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["THROTTLECTL_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = Bundle.main.bundleURL
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("throttlectl")
    }()

    /// The package root, for the bundled examples.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    public static func example(_ name: String) -> String { packageRoot.appendingPathComponent("examples/\(name)").path }

    /// Runs `throttlectl arguments…` with `TZ` pinned so the default zone is known; `prefix` runs it through
    /// another command (`ip netns exec NAME`, `setpriv …`).
    /// - Parameters:
    ///   - standardInput: a file to read standard input from (default: the test process's own).
    ///   - timeout: seconds after which the process is killed (SIGKILL, status 137 in the result), so that a
    ///     hang fails the test instead of stalling the run.
    public static func run(_ arguments: [String], environment: [String: String] = ["TZ": "Etc/UTC"],
                           prefix: [String] = [], standardInput: URL? = nil, timeout: TimeInterval? = nil)
        throws -> Result
    {
        let process = Process()
        if prefix.isEmpty {
            process.executableURL = executable
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = prefix + [executable.path] + arguments
        }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let standardInput { process.standardInput = try FileHandle(forReadingFrom: standardInput) }
        try process.run()
        if let timeout {
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [process] in
                if process.isRunning { kill(pid, SIGKILL) }
            }
        }
        // Read both pipes before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
