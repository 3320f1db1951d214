import Foundation
import TestSupport

extension ScratchNamespace {
    /// Everything tc and ip report for every device in the namespace, to prove that nothing changed.
    ///
    /// Counters are left out, and so are the identifiers the kernel assigns itself, which no writer can choose
    /// when an object is re-created by a rollback: interface indexes, u32 hash-table ids (`fh 800:`, `ht 800`)
    /// and action indexes (`index 1 ref`).
    func fullDump() throws -> String {
        try rawDump()
            .replacingOccurrences(of: #"fh [0-9a-f]+:"#, with: "fh H:", options: .regularExpression)
            .replacingOccurrences(of: #"ht [0-9a-f]+"#, with: "ht H", options: .regularExpression)
            .replacingOccurrences(of: #"index [0-9]+ ref"#, with: "index N ref", options: .regularExpression)
    }

    private func rawDump() throws -> String {
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
