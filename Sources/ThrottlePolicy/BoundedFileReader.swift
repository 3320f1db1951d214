import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads an input file whole, but never more than a limit, and never waits for a writer that is not there.
///
/// Regular files, pipes (`<(…)`, standard input) and `/dev/null` are read; other devices (`/dev/zero`,
/// `/dev/urandom`, terminals) and sockets are refused, since they are never a policy or a tag file and some
/// never end. A FIFO is opened without blocking, so one with no writer reads as empty instead of hanging.
public enum BoundedFileReader {
    /// Why a file could not be read; `tooLarge` is a content problem (65), the others are 66.
    public enum Failure: Error, Hashable, Sendable {
        /// The file could not be opened or read; `reason` says why (66).
        case unreadable(reason: String)
        /// The file is larger than `limit` bytes (65).
        case tooLarge(limit: Int)
    }

    /// The bytes of `path` (`-` or `/dev/stdin`: standard input), at most `limit` of them.
    public static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        if path == "-" || path == "/dev/stdin" { return try readAll(from: STDIN_FILENO, limit: limit) }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw .unreadable(reason: reason(for: errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(reason: reason(for: errno)) }
        switch status.st_mode & S_IFMT {
        case S_IFREG, S_IFIFO: break
        case S_IFDIR: throw .unreadable(reason: "is a directory")
        case S_IFCHR where path == "/dev/null": return []
        case S_IFCHR: throw .unreadable(reason: "is a character device, not a file")
        case S_IFBLK: throw .unreadable(reason: "is a block device, not a file")
        case S_IFSOCK: throw .unreadable(reason: "is a socket, not a file")
        default: throw .unreadable(reason: "is not a regular file")
        }
        // Opened without blocking so that a FIFO with no writer cannot hang the open; read it blocking.
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        return try readAll(from: descriptor, limit: limit)
    }

    private static func readAll(from descriptor: Int32, limit: Int) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(reason: "cannot be read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            if bytes.count > limit { throw .tooLarge(limit: limit) }
        }
    }

    /// What `open` or `fstat` failing says to an operator.
    static func reason(for code: Int32) -> String {
        switch code {
        case ENOENT: return "does not exist"
        case ENOTDIR: return "does not exist (a part of its path is not a folder)"
        case EACCES, EPERM: return "cannot be read: permission denied"
        case ELOOP: return "cannot be read: its path is a loop of symbolic links"
        case ENAMETOOLONG: return "cannot be read: the path is too long"
        default: return "cannot be read: \(String(cString: strerror(code)))"
        }
    }
}
