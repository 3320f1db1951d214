#if canImport(Glibc)
    import Glibc
#endif

/// A directory that throttlectl (running as root) may keep its state or locks in, held open by descriptor.
///
/// The path is walked one component at a time from `/` (or the working directory) with
/// `O_DIRECTORY | O_NOFOLLOW`, creating missing components with `mkdirat`, so no symbolic link is followed
/// and nothing can be swapped between a check and a use. Every component must be owned by root or the
/// effective user and not writable by group or others — unless it has the sticky bit (as `/tmp` does);
/// the directory itself must not be group/other-writable at all. Files inside are reached with `openat`.
final class SecureDirectory {
    let path: String
    let descriptor: Int32

    enum Failure: Error, CustomStringConvertible {
        case untrusted(path: String, reason: String)
        case system(path: String, SystemError)

        var description: String {
            switch self {
            case .untrusted(let path, let reason):
                return "\(path) is not safe for throttlectl's files: \(reason)"
            case .system(let path, let error): return "\(path): cannot \(error)"
            }
        }
    }

    /// Opens the directory at `path`, creating missing components (mode 0755) when `create` is true.
    init(path: String, create: Bool = true) throws(Failure) {
        self.path = path
        descriptor = try Self.walk(path, create: create)
    }

    private static func walk(_ path: String, create: Bool) throws(Failure) -> Int32 {
        var walked = path.hasPrefix("/") ? "/" : "."
        var current: Int32
        do { current = try Syscalls.openAt(AT_FDCWD, walked, O_RDONLY | O_DIRECTORY | O_CLOEXEC) } catch {
            throw .system(path: walked, error)
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        do {
            for name in components {
                try check(current, path: walked, final: false)
                let next = try step(from: current, walked: walked, name: name, create: create)
                Syscalls.close(current)
                current = next
                walked = join(walked, name)
            }
            try check(current, path: walked, final: true)
        } catch {
            Syscalls.close(current)
            throw error
        }
        return current
    }

    /// Opens (or creates) `name` under `directory`, refusing a link or anything that is not a directory.
    private static func step(from directory: Int32, walked: String, name: String, create: Bool) throws(Failure)
        -> Int32
    {
        let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
        let full = join(walked, name)
        do {
            return try Syscalls.openAt(directory, name, flags)
        } catch where error.code == ENOENT && create {
            do {
                // Another process (a cron `apply` beside the daemon) may create it first: EEXIST is as good,
                // and the open below still refuses a link or a non-directory.
                do { try Syscalls.makeDirectoryAt(directory, name, 0o755) } catch where error.code == EEXIST {}
                return try Syscalls.openAt(directory, name, flags)
            } catch { throw .system(path: full, error) }
        } catch where error.code == ELOOP || error.code == ENOTDIR {
            throw .untrusted(path: full, reason: "it is not a directory (symbolic links are not followed)")
        } catch {
            throw .system(path: full, error)
        }
    }

    deinit { Syscalls.close(descriptor) }

    private static func join(_ base: String, _ name: String) -> String {
        base == "/" ? "/" + name : base == "." ? name : base + "/" + name
    }

    /// Owner root or the effective user; no write for group or others (sticky parents excepted).
    private static func check(_ descriptor: Int32, path: String, final: Bool) throws(Failure) {
        let status: stat
        do { status = try Syscalls.status(descriptor) } catch { throw .system(path: path, error) }
        let owner = status.st_uid
        guard owner == 0 || owner == Syscalls.effectiveUser else {
            throw .untrusted(path: path, reason: "it is owned by uid \(owner), not by root or uid \(Syscalls.effectiveUser)")
        }
        let writableByOthers = status.st_mode & (S_IWGRP | S_IWOTH) != 0
        let sticky = status.st_mode & S_ISVTX != 0
        if writableByOthers && (final || !sticky) {
            let mode = String(status.st_mode & 0o7777, radix: 8)
            throw .untrusted(path: path, reason: "it is writable by group or others (mode \(mode)); "
                + "run chmod go-w \(path)")
        }
    }

    /// Opens `name` inside the directory without following a link; it must be a regular file.
    func openFile(_ name: String, flags: Int32, mode: mode_t = 0o644) throws(Failure) -> Int32 {
        let full = Self.join(path, name)
        let opened: Int32
        do {
            opened = try Syscalls.openAt(descriptor, name, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, mode)
        } catch where error.code == ELOOP {
            throw .untrusted(path: full, reason: "it is a symbolic link (links are not followed)")
        } catch {
            throw .system(path: full, error)
        }
        let status: stat
        do { status = try Syscalls.status(opened) } catch {
            Syscalls.close(opened)
            throw .system(path: full, error)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            Syscalls.close(opened)
            throw .untrusted(path: full, reason: "it is not a regular file")
        }
        return opened
    }

    /// The contents of `name`, or `nil` when there is no such file.
    func contents(of name: String, limit: Int = 1 << 20) throws(Failure) -> [UInt8]? {
        let descriptor: Int32
        do { descriptor = try openFile(name, flags: O_RDONLY) } catch {
            if case .system(_, let error) = error, error.code == ENOENT { return nil }
            throw error
        }
        defer { Syscalls.close(descriptor) }
        do { return try Syscalls.readAll(descriptor, limit: limit) } catch { throw .system(path: Self.join(path, name), error) }
    }

    /// Replaces `name` with `bytes` all at once: a new file written, synced, and renamed over it.
    func writeAtomically(_ name: String, _ bytes: [UInt8]) throws(Failure) {
        let temporary = ".\(name).\(getpid()).tmp"
        let descriptor = try openFile(temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
        do {
            defer { Syscalls.close(descriptor) }
            try Syscalls.writeAll(descriptor, bytes)
            try Syscalls.synchronize(descriptor)
        } catch {
            try? Syscalls.removeAt(self.descriptor, temporary)
            throw .system(path: Self.join(path, temporary), error)
        }
        do { try Syscalls.renameAt(self.descriptor, temporary, name) } catch {
            try? Syscalls.removeAt(self.descriptor, temporary)
            throw .system(path: Self.join(path, name), error)
        }
    }

    /// Appends `bytes` to `name` (`O_APPEND`, one `write` for the whole line on a local file system).
    func append(_ name: String, _ bytes: [UInt8]) throws(Failure) {
        let descriptor = try openFile(name, flags: O_WRONLY | O_APPEND | O_CREAT, mode: 0o644)
        defer { Syscalls.close(descriptor) }
        do { try Syscalls.writeAll(descriptor, bytes) } catch { throw .system(path: Self.join(path, name), error) }
    }

    /// True when opening failed only because the directory (or a parent) does not exist.
    static func isMissing(_ failure: Failure) -> Bool {
        if case .system(_, let error) = failure { return error.code == ENOENT }
        return false
    }

    func remove(_ name: String) throws(Failure) {
        do { try Syscalls.removeAt(descriptor, name) } catch { throw .system(path: Self.join(path, name), error) }
    }
}
