import Foundation
import ThrottlePolicy
import TrafficControl

/// Where throttlectl keeps what it must remember between runs (default `/var/lib/throttlectl`):
/// a record of each foreign root qdisc it replaced under `--force` (`IFACE.root.json`), and a journal of
/// every change (`journal.jsonl`, one JSON object per line).
///
/// Every file is reached through a ``SecureDirectory`` (no links followed, owner and mode checked); records
/// are replaced atomically, and journal lines are appended with `O_APPEND` in one write each, so that two
/// runs at once cannot interleave or overwrite each other's lines.
struct StateStore {
    let directory: String

    enum Failure: Error, CustomStringConvertible {
        case corruptRecord(path: String, reason: String)
        case unusable(SecureDirectory.Failure)

        var description: String {
            switch self {
            case .corruptRecord(let path, let reason):
                return "\(path) is not a root record throttlectl can read (\(reason)); nothing was changed. It "
                    + "describes the root qdisc to put back on the interface: repair it, or remove it if that root "
                    + "should not be restored"
            case .unusable(let failure): return failure.description
            }
        }
    }

    private func recordName(_ interface: String) -> String { "\(interface).root.json" }
    var journalPath: String { "\(directory)/journal.jsonl" }

    func open(create: Bool) throws(Failure) -> SecureDirectory? {
        do { return try SecureDirectory(path: directory, create: create) } catch {
            if !create && SecureDirectory.isMissing(error) { return nil }
            throw .unusable(error)
        }
    }

    /// The foreign root recorded for `interface`, if any.
    /// - Throws: ``Failure/corruptRecord(path:reason:)`` when the record exists but cannot be read back.
    func recordedRoot(for interface: String) throws(Failure) -> QdiscSpec? {
        guard let folder = try open(create: false) else { return nil }
        let bytes: [UInt8]?
        do { bytes = try folder.contents(of: recordName(interface)) } catch { throw .unusable(error) }
        guard let bytes else { return nil }
        let path = "\(directory)/\(recordName(interface))"
        do {
            return try RootRecord.decode(bytes, interface: interface)
        } catch {
            throw .corruptRecord(path: path, reason: error.reason)
        }
    }

    func record(_ root: QdiscSpec) throws(Failure) {
        guard let folder = try open(create: true) else { return }
        do { try folder.writeAtomically(recordName(root.device), RootRecord.encode(root)) } catch { throw .unusable(error) }
    }

    func forgetRecordedRoot(for interface: String) throws(Failure) {
        guard let folder = try open(create: false) else { return }
        do { try folder.remove(recordName(interface)) } catch { throw .unusable(error) }
    }

    /// Appends one line to the journal.
    func journal(_ entry: JSONValue) throws(Failure) {
        guard let folder = try open(create: true) else { return }
        do { try folder.append("journal.jsonl", Array((entry.rendered(indent: 0) + "\n").utf8)) } catch {
            throw .unusable(error)
        }
    }
}

/// The file format of a recorded root: `{"version":1,"kind":…,"handle":…,"parent":…,"options":"hex"}`.
enum RootRecord {
    struct Unreadable: Error { var reason: String }

    static func encode(_ root: QdiscSpec) -> [UInt8] {
        let options: [UInt8]
        if case .recorded(_, let raw) = root.configuration { options = raw } else { options = [] }
        let object = JSONValue.object([
            ("version", .integer(1)), ("kind", .string(root.configuration.kind)),
            ("handle", .integer(UInt64(root.handle.rawValue))), ("parent", .integer(UInt64(root.parent.rawValue))),
            ("options", .string(options.map { String(format: "%02x", $0) }.joined())),
        ])
        return Array((object.rendered() + "\n").utf8)
    }

    static func decode(_ bytes: [UInt8], interface: String) throws(Unreadable) -> QdiscSpec {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw Unreadable(reason: "not a JSON object")
        }
        func number(_ key: String) throws(Unreadable) -> UInt32 {
            guard let value = object[key] as? NSNumber, let exact = UInt32(exactly: value.doubleValue) else {
                throw Unreadable(reason: "\"\(key)\" is missing or not a 32-bit number")
            }
            return exact
        }
        if let version = object["version"] {
            guard (version as? NSNumber)?.intValue == 1 else { throw Unreadable(reason: "unknown version \(version)") }
        }
        guard let kind = object["kind"] as? String, !kind.isEmpty, kind.utf8.count < 16,
            kind.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else { throw Unreadable(reason: "\"kind\" is missing or not a qdisc kind") }
        let handle = try number("handle")
        let parent = try number("parent")
        guard let hex = object["options"] as? String, hex.utf8.count % 2 == 0 else {
            throw Unreadable(reason: "\"options\" is missing or not hexadecimal")
        }
        var options: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else {
                throw Unreadable(reason: "\"options\" is not hexadecimal")
            }
            options.append(byte)
            index = next
        }
        return QdiscSpec(device: interface, handle: TrafficControlHandle(rawValue: handle),
                         parent: TrafficControlHandle(rawValue: parent),
                         configuration: .recorded(kind: kind, options: options))
    }
}
