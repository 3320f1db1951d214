import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One `apply` (or `clear`) per interface at a time: an exclusive `flock` on `DIR/IFACE.lock`.
///
/// The lock file is opened without following links (`O_NOFOLLOW`), in a directory that must not be a link
/// either, so that a planted symlink cannot make root truncate or create files elsewhere.
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

    /// Takes the lock for `interface`, waiting up to `wait` seconds.
    init(directory: String, interface: String, wait: Double) throws {
        var status = stat()
        if lstat(directory, &status) != 0 {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o755])
            } catch {
                throw Failure.unusable(path: directory, reason: "\(error.localizedDescription)")
            }
        } else if (status.st_mode & S_IFMT) != S_IFDIR {
            throw Failure.unusable(path: directory, reason: "it is not a directory (links are not followed)")
        }
        let path = "\(directory)/\(interface).lock"
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure.unusable(path: path, reason: String(cString: strerror(errno))) }
        let deadline = Date().addingTimeInterval(wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(fd)
                throw Failure.unusable(path: path, reason: String(cString: strerror(errno)))
            }
            guard Date() < deadline else {
                close(fd)
                throw Failure.busy(path: path, waited: wait)
            }
            usleep(50_000)
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
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
