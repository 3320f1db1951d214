import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `--metrics-file PATH`: the Prometheus text written atomically, as node_exporter's textfile collector
/// requires (a scrape never sees half a file): a temporary file in the same folder, written, synced, and
/// renamed over `PATH`. Mode 0644 whatever the umask, so that node_exporter (another user) can read it.
struct MetricsFile {
    let path: String

    private var folder: String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }
    private var name: String { (path as NSString).lastPathComponent }

    /// The applies and errors counters the file holds now (empty when there is none yet).
    func previousCounters() -> [String: (applies: UInt64, errors: UInt64)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        return PrometheusText.counters(in: text)
    }

    /// Replaces the file with `text`.
    func write(_ text: String) throws(SystemError) {
        let directory = try Syscalls.openAt(AT_FDCWD, folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { Syscalls.close(directory) }
        let temporary = ".\(name).\(getpid()).tmp"
        try Syscalls.removeAt(directory, temporary)
        let fd = try Syscalls.openAt(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        do {
            try Syscalls.changeMode(fd, 0o644)
            try Syscalls.writeAll(fd, Array(text.utf8))
            try Syscalls.synchronize(fd)
        } catch {
            Syscalls.close(fd)
            try? Syscalls.removeAt(directory, temporary)
            throw error
        }
        Syscalls.close(fd)
        do { try Syscalls.renameAt(directory, temporary, name) } catch {
            try? Syscalls.removeAt(directory, temporary)
            throw error
        }
    }

    /// A problem with the path that shows before anything is applied (`nil`: it looks writable).
    static func problem(with path: String) -> String? {
        if path.isEmpty { return "--metrics-file cannot be empty" }
        if path.hasSuffix("/") {
            return "--metrics-file \(path) names a folder; give a file such as \(path)throttlectl.prom"
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "--metrics-file \(path) is a folder; give a file inside it, such as \(path)/throttlectl.prom"
        }
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
            return "--metrics-file \(path): the folder \(folder) does not exist"
        }
        // Read-only (systemd's ProtectSystem=strict outside ReadWritePaths=, a read-only mount) or not ours: every
        // write would fail, found only in the log; say so before anything is applied.
        if access(folder, W_OK) != 0 {
            let reason = String(cString: strerror(errno))
            var text = "--metrics-file \(path): cannot write in the folder \(folder): \(reason)"
            if errno == EROFS {
                text += " (under systemd's ProtectSystem=strict, add ReadWritePaths=\(folder) to the unit)"
            }
            return text
        }
        return nil
    }
}
