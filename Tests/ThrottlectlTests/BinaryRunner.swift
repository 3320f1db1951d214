import Foundation

/// Runs the built `throttlectl` binary and captures what it prints.
struct BinaryRunner {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The built executable: beside the test bundle in SwiftPM's products folder, or `THROTTLECTL_BINARY`.
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["THROTTLECTL_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = Bundle.main.bundleURL
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("throttlectl")
    }()

    /// The package root, for the bundled examples.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func example(_ name: String) -> String { packageRoot.appendingPathComponent("examples/\(name)").path }

    /// Runs `throttlectl arguments…` with `TZ` pinned so the default zone is known.
    static func run(_ arguments: [String], environment: [String: String] = ["TZ": "Etc/UTC"]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
