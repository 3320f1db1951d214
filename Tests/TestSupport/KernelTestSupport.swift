import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Whether kernel tests can run here: they need root (CAP_NET_ADMIN) to make namespaces.
///
/// Outside CI a non-root run skips them with this reason; under `CI=true` they run and fail instead, so a
/// CI that lost its privileges cannot pass by skipping.
public enum KernelGate {
    public static let isRoot = geteuid() == 0
    public static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    public static let enabled = isRoot || isCI
    public static let reason: Comment = "needs root (CAP_NET_ADMIN) to create network namespaces; run as root or with CI=true"

    /// Fails the test clearly when it runs without root (only possible under CI).
    public static func check() throws {
        if !isRoot {
            Issue.record("kernel tests need root (CAP_NET_ADMIN) and CI=true forbids skipping them")
            throw Skip()
        }
    }

    public struct Skip: Error {}
}

/// Runs a command (tests only: the product never spawns processes) and returns its output.
@discardableResult
public func run(_ arguments: [String], allowFailure: Bool = false) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let output = String(decoding: data, as: UTF8.self)
    if process.terminationStatus != 0 && !allowFailure {
        throw CommandFailed(command: arguments.joined(separator: " "), status: process.terminationStatus, output: output)
    }
    return (process.terminationStatus, output)
}

public struct CommandFailed: Error, CustomStringConvertible {
    public let command: String
    public let status: Int32
    public let output: String
    public var description: String { "`\(command)` exited \(status): \(output)" }
}

/// A throw-away network namespace with a veth pair: `v0` in this namespace, `v1` in a peer namespace, with
/// addresses 198.18.0.1/24 and 2001:db8::1/64 on `v0`, 198.18.0.2/24 and 2001:db8::2/64 on `v1`. Both
/// namespaces are removed when the value is released.
public final class ScratchNamespace {
    private static let counter = Counter()
    public let name: String
    public let peer: String

    public init(mtu: Int = 1500) throws {
        let number = Self.counter.next()
        name = "thrtest-\(getpid())-\(number)"
        peer = "thrpeer-\(getpid())-\(number)"
        try run(["ip", "netns", "add", name])
        do {
            try run(["ip", "netns", "add", peer])
            try run(["ip", "-n", name, "link", "add", "v0", "mtu", "\(mtu)", "type", "veth", "peer", "name", "v1",
                     "netns", peer, "mtu", "\(mtu)"])
            for (namespace, device, v4, v6) in [(name, "v0", "198.18.0.1/24", "2001:db8::1/64"),
                                                (peer, "v1", "198.18.0.2/24", "2001:db8::2/64")] {
                try run(["ip", "-n", namespace, "addr", "add", v4, "dev", device])
                try run(["ip", "-n", namespace, "addr", "add", v6, "dev", device, "nodad"])
                try run(["ip", "-n", namespace, "link", "set", device, "up"])
                try run(["ip", "-n", namespace, "link", "set", "lo", "up"])
            }
        } catch {
            _ = try? run(["ip", "netns", "del", name], allowFailure: true)
            _ = try? run(["ip", "netns", "del", peer], allowFailure: true)
            throw error
        }
    }

    /// `tc …` inside the namespace (tc is an oracle in tests only).
    @discardableResult
    public func tc(_ arguments: [String], allowFailure: Bool = false) throws -> (status: Int32, output: String) {
        try run(["ip", "netns", "exec", name, "tc"] + arguments, allowFailure: allowFailure)
    }

    /// A command inside the namespace (`ip netns exec`).
    @discardableResult
    public func exec(_ arguments: [String], allowFailure: Bool = false) throws -> (status: Int32, output: String) {
        try run(["ip", "netns", "exec", name] + arguments, allowFailure: allowFailure)
    }

    /// A command inside the peer namespace.
    @discardableResult
    public func execPeer(_ arguments: [String], allowFailure: Bool = false) throws -> (status: Int32, output: String) {
        try run(["ip", "netns", "exec", peer] + arguments, allowFailure: allowFailure)
    }

    deinit {
        _ = try? run(["ip", "netns", "del", name], allowFailure: true)
        _ = try? run(["ip", "netns", "del", peer], allowFailure: true)
    }

    final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
