#if canImport(Glibc)
    import Glibc
#endif

/// The one seam between throttlectl's file handling and the C library (swift-system's
/// `Internals/Syscalls.swift` shape): each function mirrors one call, retries `EINTR`, and reports failure
/// as a ``SystemError`` carrying `errno`. Nothing else in the CLI calls `open`, `write` or `flock` itself.
enum Syscalls {
    static func openAt(_ directory: Int32, _ name: String, _ flags: Int32, _ mode: mode_t = 0) throws(SystemError)
        -> Int32
    {
        try retrying("open \(name)") { openat(directory, name, flags, mode) }
    }

    static func makeDirectoryAt(_ directory: Int32, _ name: String, _ mode: mode_t) throws(SystemError) {
        _ = try retrying("create directory \(name)") { mkdirat(directory, name, mode) }
    }

    static func status(_ descriptor: Int32) throws(SystemError) -> stat {
        var result = stat()
        _ = try retrying("stat") { fstat(descriptor, &result) }
        return result
    }

    /// Writes all of `bytes` with as few `write` calls as the kernel allows (one, for a regular file).
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = try retrying("write") {
                bytes.withUnsafeBytes { buffer in write(descriptor, buffer.baseAddress! + offset, buffer.count - offset) }
            }
            guard written > 0 else { throw SystemError(operation: "write", code: EIO) }
            offset += written
        }
    }

    static func readAll(_ descriptor: Int32, limit: Int) throws(SystemError) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while result.count <= limit {
            let count = try retrying("read") { chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) } }
            if count == 0 { break }
            result += chunk[..<count]
        }
        return result
    }

    /// `fchmod`: the mode exactly, whatever the umask (systemd's `UMask=0077` would make 0644 into 0600).
    static func changeMode(_ descriptor: Int32, _ mode: mode_t) throws(SystemError) {
        _ = try retrying("chmod") { fchmod(descriptor, mode) }
    }

    static func synchronize(_ descriptor: Int32) throws(SystemError) {
        _ = try retrying("fsync") { fsync(descriptor) }
    }

    static func renameAt(_ directory: Int32, _ from: String, _ to: String) throws(SystemError) {
        _ = try retrying("rename \(from) to \(to)") { renameat(directory, from, directory, to) }
    }

    /// `unlinkat`; a name that is already gone is not an error.
    static func removeAt(_ directory: Int32, _ name: String) throws(SystemError) {
        do { _ = try retrying("remove \(name)") { unlinkat(directory, name, 0) } } catch where error.code == ENOENT {}
    }

    /// `flock(LOCK_EX | LOCK_NB)`: true when taken, false when another process holds it.
    static func tryLockExclusive(_ descriptor: Int32) throws(SystemError) -> Bool {
        do {
            _ = try retrying("lock") { flock(descriptor, LOCK_EX | LOCK_NB) }
            return true
        } catch where error.code == EWOULDBLOCK {
            return false
        }
    }

    static func unlock(_ descriptor: Int32) { _ = flock(descriptor, LOCK_UN) }

    static func pause(milliseconds: UInt32) { _ = usleep(milliseconds * 1000) }

    /// SIGKILL to this process (the fault-injection hook of debug builds).
    static func killSelf() -> Never {
        _ = kill(getpid(), SIGKILL)
        fatalError("SIGKILL did not end the process")
    }

    static func close(_ descriptor: Int32) { _ = Glibc.close(descriptor) }

    static var effectiveUser: uid_t { geteuid() }

    /// `realpath`: the path with every link and `..` resolved.
    static func resolvedPath(_ path: String) throws(SystemError) -> String {
        guard let resolved = realpath(path, nil) else { throw SystemError(operation: "resolve \(path)", code: errno) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `lstat` (the path is already resolved, so no link is met).
    static func status(path: String) throws(SystemError) -> stat {
        var result = stat()
        _ = try retrying("stat \(path)") { lstat(path, &result) }
        return result
    }

    private static func retrying<T: BinaryInteger>(_ operation: String, _ call: () -> T) throws(SystemError) -> T {
        while true {
            let result = call()
            if result >= 0 { return result }
            if errno != EINTR { throw SystemError(operation: operation, code: errno) }
        }
    }
}

/// A failed system call: what was being done and `errno`, with the C library's text.
struct SystemError: Error, CustomStringConvertible {
    var operation: String
    var code: Int32

    var description: String { "\(operation): \(String(cString: strerror(code)))" }
}
