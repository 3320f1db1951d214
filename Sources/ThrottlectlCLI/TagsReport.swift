import TrafficSelection

/// How `throttlectl tags` prints: aligned text for people, JSON for scripts.
enum TagsReport {
    static func text(_ tags: [ServiceTag], file: ServiceTagFile, merged: PrefixSet?) -> String {
        var lines = ["\(file.path): cloud \(file.cloud.isEmpty ? "?" : file.cloud), \(file.changeLabel), "
            + "\(file.tags.count) tags"]
        let width = max(4, tags.map(\.name.count).max() ?? 0) + 2
        lines.append("TAG".padding(width) + "REGION".padding(22) + "IPV4".padding(8) + "IPV6".padding(8) + "MERGED")
        for tag in tags {
            let own = PrefixSet(tag.prefixes).prefixes.count
            lines.append(tag.name.padding(width) + (tag.region.isEmpty ? "(global)" : tag.region).padding(22)
                + String(tag.ipv4Count).padding(8) + String(tag.ipv6Count).padding(8) + String(own))
        }
        if let merged {
            let total = tags.reduce(0) { $0 + $1.prefixes.count }
            lines.append("together: \(total) prefixes, \(merged.prefixes.count) after merging "
                + "(\(merged.prefixes(of: .ipv4).count) IPv4, \(merged.prefixes(of: .ipv6).count) IPv6)")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ tags: [ServiceTag], file: ServiceTagFile, merged: PrefixSet?) -> String {
        var members: [(String, JSONValue)] = [
            ("file", .string(file.path)), ("cloud", .string(file.cloud)), ("changeNumber", .string(file.changeNumber)),
            ("tags", .array(tags.map { tag in
                .object([("name", .string(tag.name)), ("region", .string(tag.region)),
                         ("systemService", .string(tag.systemService)), ("ipv4", .integer(UInt64(tag.ipv4Count))),
                         ("ipv6", .integer(UInt64(tag.ipv6Count))),
                         ("merged", .integer(UInt64(PrefixSet(tag.prefixes).prefixes.count)))])
            })),
        ]
        if let merged {
            members.append(("together", .object([
                ("prefixes", .integer(UInt64(tags.reduce(0) { $0 + $1.prefixes.count }))),
                ("merged", .integer(UInt64(merged.prefixes.count))),
                ("mergedIPv4", .integer(UInt64(merged.prefixes(of: .ipv4).count))),
                ("mergedIPv6", .integer(UInt64(merged.prefixes(of: .ipv6).count))),
            ])))
        }
        return JSONValue.object(members).rendered()
    }

    static func diffText(_ diff: PrefixDiff, old: ServiceTagFile, new: ServiceTagFile, tags: [String]) -> String {
        var lines = ["\(tags.joined(separator: ", ")): \(old.path) (\(old.changeLabel)) → \(new.path) "
            + "(\(new.changeLabel)): −\(diff.removed.count) +\(diff.added.count)"]
        lines += diff.removed.map { "- \($0)" }
        lines += diff.added.map { "+ \($0)" }
        return lines.joined(separator: "\n")
    }

    static func diffJSON(_ diff: PrefixDiff, old: ServiceTagFile, new: ServiceTagFile, tags: [String]) -> String {
        JSONValue.object([
            ("tags", .array(tags.map(JSONValue.string))), ("old", .string(old.path)), ("new", .string(new.path)),
            ("removed", .array(diff.removed.map { .string($0.description) })),
            ("added", .array(diff.added.map { .string($0.description) })),
        ]).rendered()
    }
}
