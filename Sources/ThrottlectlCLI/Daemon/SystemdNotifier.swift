import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// systemd's readiness protocol (`sd_notify(3)`) without libsystemd: datagrams such as `READY=1`,
/// `STATUS=…` and `WATCHDOG=1` sent to the Unix socket named by `NOTIFY_SOCKET` (a path, or `@name` in the
/// abstract namespace).
final class SystemdNotifier: @unchecked Sendable {
    private let address: [UInt8]
    /// Half of `WATCHDOG_USEC`, the interval systemd's documentation asks pings at; `nil` without a watchdog.
    let watchdogInterval: Double?

    /// The notifier the environment asks for, or `nil` outside a `Type=notify` service.
    init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let socketPath = environment["NOTIFY_SOCKET"], !socketPath.isEmpty, socketPath.utf8.count < 108,
            socketPath.hasPrefix("/") || socketPath.hasPrefix("@")
        else { return nil }
        var bytes = Array(socketPath.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        address = bytes
        // WATCHDOG_PID, when set, names the process the watchdog is meant for (not a child we might start).
        let forUs = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
        if forUs, let text = environment["WATCHDOG_USEC"], let microseconds = Double(text), microseconds > 0 {
            watchdogInterval = microseconds / 2_000_000
        } else {
            watchdogInterval = nil
        }
    }

    /// Sends `assignments` (`KEY=value` lines) in one datagram; failures are ignored, as sd_notify's callers do.
    @discardableResult
    func send(_ assignments: [String]) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var target = sockaddr_un()
        target.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &target.sun_path) { path in
            for (index, byte) in address.enumerated() { path[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + address.count)
        let message = Array(assignments.joined(separator: "\n").utf8)
        let sent = withUnsafePointer(to: &target) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), address, length) }
            }
        }
        return sent == message.count
    }

    /// `STATUS=` text: one line, at most a few hundred bytes.
    static func status(_ text: String) -> String {
        "STATUS=" + String(text.replacingOccurrences(of: "\n", with: " ").prefix(400))
    }
}
