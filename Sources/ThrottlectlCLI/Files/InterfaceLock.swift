import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One `apply` (or `clear`) per interface at a time: an exclusive `flock` on `DIR/IFACE.lock`.
///
/// The directory is opened through ``SecureDirectory`` (no links followed, owner and mode checked) and the
/// lock file with `openat(O_NOFOLLOW)` relative to it, so that a planted symlink cannot make root truncate
/// or create files elsewhere. The wait is measured on the monotonic clock: a wall-clock step (NTP, an
/// operator's `date -s`) neither cuts it short nor stretches it.
final class InterfaceLock {
    private let descriptor: Int32

    enum Failure: Error, CustomStringConvertible {
        case busy(path: String, waited: Double)
        case unusable(path: String, reason: String)

        var description: String {
            switch self {
            case .busy(let path, let waited):
                return "another throttlectl holds \(path) (waited \(waited) s); try again later"
            case .unusable(let path, let reason): return "cannot use the lock \(path): \(reason)"
            }
        }
    }

    /// Takes the lock for `interface`, waiting up to `wait` seconds, or until `abandon` says to give up (the
    /// daemon's stop request: a SIGTERM must not wait out another process's lock).
    convenience init(directory: String, interface: String, wait: Double,
                     clock: ContinuousClock = ContinuousClock(), abandon: () -> Bool = { false }) throws {
        try self.init(directory: directory, file: "\(interface).lock", wait: wait, clock: clock, abandon: abandon)
    }

    /// The lock a `throttlectl run` holds for as long as it serves `interface` (`DIR/IFACE.daemon`), taken
    /// without waiting, so that a second daemon on the same interface stands aside instead of undoing the first
    /// one's writes (each would see the other's change as damage to repair, for ever). `apply` does not take it.
    static func daemon(directory: String, interface: String) throws -> InterfaceLock {
        try InterfaceLock(directory: directory, file: "\(interface).daemon", wait: 0)
    }

    /// Takes an exclusive lock on `file` in `directory`, waiting up to `wait` seconds.
    private init(directory: String, file: String, wait: Double,
                 clock: ContinuousClock = ContinuousClock(), abandon: () -> Bool = { false }) throws {
        let path = "\(directory)/\(file)"
        let folder: SecureDirectory
        do { folder = try SecureDirectory(path: directory) } catch {
            throw Failure.unusable(path: path, reason: error.description)
        }
        let fd: Int32
        do { fd = try folder.openFile(file, flags: O_RDWR | O_CREAT, mode: 0o600) } catch {
            throw Failure.unusable(path: path, reason: error.description)
        }
        // Clamped: a NaN or huge --wait must not trap in the conversion (a day is as good as forever here).
        let milliseconds = wait.isFinite ? Int64(min(max(wait, 0), 86_400) * 1000) : 86_400_000
        let started = clock.now
        let deadline = started.advanced(by: .milliseconds(milliseconds))
        do {
            while try !Syscalls.tryLockExclusive(fd) {
                guard clock.now < deadline, !abandon() else {
                    let elapsed = started.duration(to: clock.now).components
                    let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                    throw Failure.busy(path: path, waited: (seconds * 10).rounded() / 10)
                }
                Syscalls.pause(milliseconds: 20)
            }
        } catch let error as SystemError {
            Syscalls.close(fd)
            throw Failure.unusable(path: path, reason: error.description)
        } catch {
            Syscalls.close(fd)
            throw error
        }
        descriptor = fd
    }

    deinit {
        Syscalls.unlock(descriptor)
        Syscalls.close(descriptor)
    }
}

/// Whether this process may change traffic control: `CAP_NET_ADMIN` in its effective set.
enum NetworkAdminCapability {
    static let bit: UInt64 = 1 << 12

    /// Reads `CapEff` from `/proc/self/status`.
    static var isEffective: Bool {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return geteuid() == 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("CapEff:") {
            let hex = line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces)
            return (UInt64(hex, radix: 16) ?? 0) & bit != 0
        }
        return geteuid() == 0
    }

    static let advice =
        "throttlectl needs CAP_NET_ADMIN to change traffic control: run it as root, or grant the capability "
        + "(setcap cap_net_admin+ep \"$(command -v throttlectl)\", or AmbientCapabilities=CAP_NET_ADMIN in a "
        + "systemd unit)"
}
