import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// Whether a policy file may drive root's changes to the kernel, as sshd's StrictModes decides for
/// `authorized_keys`: when running as root, the file (after links are resolved) must be owned by root or
/// the effective user and not writable by group or others, and so must every directory above it unless the
/// directory has the sticky bit (as `/tmp` does). Otherwise whoever can write the file decides how root
/// shapes the machine's traffic.
enum PolicyTrust {
    struct Untrusted: Error, CustomStringConvertible {
        var path: String
        var reason: String
        /// What the file is: `policy`, or `service-tags file` (which decides what traffic is shaped).
        var subject = "policy"

        var description: String {
            "refusing the \(subject) \(path): \(reason). Running as root, throttlectl applies only a \(subject) that "
                + "no one else can change (as sshd's StrictModes); fix the ownership or mode, or pass "
                + "--insecure-policy to apply it anyway"
        }
    }

    /// Refuses (exit 77, with the reason) an untrusted policy file when running as root.
    /// - Parameters:
    ///   - path: the `--policy` file, if one was given (flags alone need no check).
    ///   - insecure: `--insecure-policy`: skip the check.
    ///   - subject: what the file is, for the message (`service-tags file` for the tag file a policy names).
    static func require(_ path: String?, insecure: Bool, subject: String = "policy") throws {
        if let problem = problem(path, insecure: insecure, subject: subject) {
            printError(problem)
            throw ExitCode(ExitStatus.noPermission.rawValue)
        }
    }

    /// Why `path` may not be applied (the text `require` prints), or `nil` when it may.
    static func problem(_ path: String?, insecure: Bool, subject: String = "policy") -> String? {
        guard let path, !insecure, Syscalls.effectiveUser == 0, path != "-", path != "/dev/stdin" else { return nil }
        do { try check(path) } catch {
            var error = error
            error.subject = subject
            return error.description
        }
        return nil
    }

    static func check(_ path: String) throws(Untrusted) {
        // A path that cannot be resolved is left to the loader, which reports it as missing (66).
        guard let resolved = try? Syscalls.resolvedPath(path) else { return }
        try checkEntry(resolved, shown: path, directory: false)
        try checkDirectories(above: resolved, shown: path)
        // When `path` is a link, whoever can write the folder holding the link can point it elsewhere.
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        if let holding = try? Syscalls.resolvedPath(folder.isEmpty ? "/" : folder), holding + "/" != resolved.prefix(holding.count + 1) {
            try checkEntry(holding, shown: path, directory: true)
            try checkDirectories(above: holding, shown: path)
        }
    }

    /// Every directory from `path`'s parent up to `/`; a problem names the policy file `shown`.
    private static func checkDirectories(above path: String, shown: String) throws(Untrusted) {
        var parent = path
        while parent != "/" {
            parent = String(parent[..<(parent.lastIndex(of: "/") ?? parent.startIndex)])
            if parent.isEmpty { parent = "/" }
            try checkEntry(parent, shown: shown, directory: true)
        }
    }

    private static func checkEntry(_ path: String, shown: String, directory: Bool) throws(Untrusted) {
        let status: stat
        do { status = try Syscalls.status(path: path) } catch {
            throw Untrusted(path: shown, reason: "cannot check \(path): \(error)")
        }
        let user = Syscalls.effectiveUser
        let what = directory ? "its directory \(path)" : "it"
        guard status.st_uid == 0 || status.st_uid == user else {
            throw Untrusted(path: shown, reason: "\(what) is owned by uid \(status.st_uid), not root")
        }
        let writable = status.st_mode & (S_IWGRP | S_IWOTH) != 0
        let sticky = status.st_mode & S_ISVTX != 0
        if writable && !(directory && sticky) {
            throw Untrusted(path: shown, reason: "\(what) is writable by group or others (mode "
                + "\(String(status.st_mode & 0o7777, radix: 8)); chmod go-w \(path))")
        }
    }
}
