import Foundation
import TestSupport

extension ScratchNamespace {
    /// Everything tc and ip report for every device in the namespace (no counters, interface indexes
    /// dropped: a rollback that re-creates an IFB gives it a new index), to prove that nothing changed.
    func fullDump() throws -> String {
        let links = try exec(["ip", "-d", "-o", "link", "show"]).output
        let names = links.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: ":", maxSplits: 2)
            guard fields.count >= 2 else { return nil }
            return fields[1].trimmingCharacters(in: .whitespaces).split(separator: "@").first.map(String.init)
        }
        var parts = [links.split(separator: "\n").map { $0.drop(while: { $0 != ":" }) }.joined(separator: "\n")]
        for name in names.sorted() {
            parts.append("# \(name)")
            parts.append(try tc(["-d", "qdisc", "show", "dev", name]).output)
            parts.append(try tc(["-d", "class", "show", "dev", name]).output)
            parts.append(try tc(["-d", "filter", "show", "dev", name, "ingress"], allowFailure: true).output)
            parts.append(try tc(["-d", "filter", "show", "dev", name, "root"], allowFailure: true).output)
        }
        return parts.joined(separator: "\n")
    }

    /// The interface index of `name` in the namespace.
    func index(of name: String) throws -> Int32 {
        let text = try exec(["cat", "/sys/class/net/\(name)/ifindex"]).output
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}

/// A `throttlectl` run started in the background, for concurrency and mid-run faults.
final class BackgroundRun {
    let process = Process()
    private let out = Pipe()
    private let err = Pipe()

    init(_ arguments: [String], namespace: String, environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", namespace, BinaryRunner.executable.path] + arguments
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "Etc/UTC"
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = out
        process.standardError = err
        try process.run()
    }

    func wait() -> BinaryRunner.Result {
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return BinaryRunner.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                   stderr: String(decoding: errData, as: UTF8.self))
    }
}
