import Foundation
import ThrottlePolicy
import TrafficControl

/// Where throttlectl keeps what it must remember between runs (default `/var/lib/throttlectl`):
/// a record of each foreign root qdisc it replaced under `--force` (`IFACE.root.json`), and a journal of
/// every change (`journal.jsonl`, one JSON object per line).
struct StateStore {
    let directory: String

    private var fileManager: FileManager { .default }

    private func recordPath(_ interface: String) -> String { "\(directory)/\(interface).root.json" }
    var journalPath: String { "\(directory)/journal.jsonl" }

    func ensureDirectory() throws {
        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// The foreign root recorded for `interface`, if any.
    func recordedRoot(for interface: String) -> QdiscSpec? {
        guard let data = fileManager.contents(atPath: recordPath(interface)),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let kind = object["kind"] as? String, let handle = object["handle"] as? UInt32,
            let parent = object["parent"] as? UInt32, let hex = object["options"] as? String
        else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return QdiscSpec(device: interface, handle: TrafficControlHandle(rawValue: handle),
                         parent: TrafficControlHandle(rawValue: parent), configuration: .recorded(kind: kind, options: bytes))
    }

    func record(_ root: QdiscSpec) throws {
        try ensureDirectory()
        let options: [UInt8]
        if case .recorded(_, let raw) = root.configuration { options = raw } else { options = [] }
        let object = JSONValue.object([
            ("kind", .string(root.configuration.kind)), ("handle", .integer(UInt64(root.handle.rawValue))),
            ("parent", .integer(UInt64(root.parent.rawValue))),
            ("options", .string(options.map { String(format: "%02x", $0) }.joined())),
        ])
        try object.rendered().write(toFile: recordPath(root.device), atomically: true, encoding: .utf8)
    }

    func forgetRecordedRoot(for interface: String) {
        try? fileManager.removeItem(atPath: recordPath(interface))
    }

    /// Appends one line to the journal.
    func journal(_ entry: JSONValue) throws {
        try ensureDirectory()
        let line = Data((entry.rendered(indent: 0) + "\n").utf8)
        if let handle = FileHandle(forWritingAtPath: journalPath) {
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
        } else {
            try line.write(to: URL(fileURLWithPath: journalPath))
        }
    }
}
