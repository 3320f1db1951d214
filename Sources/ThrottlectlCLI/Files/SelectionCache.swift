import Foundation
import TrafficSelection

#if canImport(Glibc)
    import Glibc
#endif

/// The selection last applied to an interface, kept in the state directory (`STATE-DIR/IF.selection`) so that
/// the next `apply` of the same tag file and request skips reading and merging the tag file, and so that
/// `status` can say which tags and file the installed selection came from.
///
/// A record is used only when its key is the one computed now: the tag file's path, device, inode, size,
/// modification and change times (the change time cannot be set back by anyone but the kernel), and the
/// request (tags, prefixes, exclusions, ports, the preset expanded). The state directory is checked like the
/// rest of the state (owned by root or the running user, not writable by others), and a record whose
/// checksum or contents are wrong is ignored: the tag file is read instead.
struct SelectionCache {
    let store: StateStore
    let interface: String

    private var name: String { "\(interface).selection" }
    var path: String { "\(store.directory)/\(name)" }

    /// The record, or `nil` when there is none or it cannot be used (never an error: the tag file is the truth).
    func load() -> ResolvedSelectionRecord? {
        guard let folder = try? store.open(create: false),
            let bytes = try? folder.contents(of: name, limit: 64 << 20)
        else { return nil }
        return try? ResolvedSelectionRecord.decode(bytes)
    }

    /// Keeps `record` for the next run; a failure is only a warning (the next run reads the tag file again).
    func save(_ record: ResolvedSelectionRecord) {
        do {
            guard let folder = try store.open(create: true) else { return }
            try folder.writeAtomically(name, record.encoded())
        } catch {
            printError("warning: cannot keep the resolved selection in \(path): \(error)")
        }
    }

    /// Forgets the record (the interface no longer shapes a selection).
    func remove() {
        guard let folder = try? store.open(create: false) else { return }
        try? folder.remove(name)
    }

    /// The key of a resolution of `request` against the tag file at `tagFile`, or `nil` when the file cannot be
    /// examined (the resolution then reads it and reports why).
    static func key(tagFile: String, request: SelectionRequest) -> String? {
        var info = stat()
        guard stat(tagFile, &info) == 0 else { return nil }
        var parts = [
            "file \(tagFile)", "dev \(info.st_dev) ino \(info.st_ino) size \(info.st_size)",
            "mtime \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) ctime \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)",
        ]
        parts.append(requestText(request))
        return parts.joined(separator: "\n")
    }

    /// The request as text: tags, prefixes, exclusions and ports, in order.
    static func requestText(_ request: SelectionRequest) -> String {
        ["tags " + request.tags.map(\.value).joined(separator: ","),
         "prefixes " + request.prefixes.map(\.value).joined(separator: ","),
         "exclude " + request.excludedPrefixes.map(\.value).joined(separator: ","),
         "ports " + request.ports.map { String($0.value) }.joined(separator: ",")].joined(separator: "\n")
    }
}
