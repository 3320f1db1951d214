import TrafficSelection

/// How `validate`, `show` and `apply --dry-run` describe a resolved traffic selection.
struct SelectionReport {
    let resolved: ResolvedTraffic

    private var selection: TrafficSelection { resolved.selection }

    /// The hash layout of each family's merged prefixes, IPv4 first.
    var layouts: [HashLayout] {
        AddressFamily.allCases.map { HashLayout(family: $0, prefixes: selection.remote.prefixes(of: $0)) }
    }

    /// One line: `traffic: tags A, B from FILE (change N); IPv4 12 → 9, IPv6 4 → 3 prefixes after merging;
    /// remote port 443`.
    var summary: String {
        var sources: [String] = []
        if !selection.tags.isEmpty {
            var tags = "tags \(selection.tags.map(\.name).joined(separator: ", "))"
            if let file = resolved.tagFile { tags += " from \(file.path) (\(ServiceTagFile.changeLabel(file.changeNumber)))" }
            sources.append(tags)
        }
        let extra = resolved.request.prefixes.count
        if extra > 0 { sources.append("\(extra) prefix\(extra == 1 ? "" : "es")") }
        var what = sources.joined(separator: " and ")
        let excluded = resolved.request.excludedPrefixes.count
        if excluded > 0 { what += ", \(excluded) excluded" }
        let before = selection.countsBeforeMerging
        let after = selection.countsAfterMerging
        let counts = "IPv4 \(before.ipv4) → \(after.ipv4), IPv6 \(before.ipv6) → \(after.ipv6) prefixes after merging"
            + (excluded > 0 ? " and exclusions" : "")
        return "traffic: \(what); \(counts); \(portsText)"
    }

    /// `remote port 443`, `remote ports 443, 8443`, or `any remote port`.
    var portsText: String {
        let ports = selection.ports
        if ports.isEmpty { return "any remote port" }
        return "remote port\(ports.count == 1 ? "" : "s") \(ports.map(String.init).joined(separator: ", "))"
    }

    /// The summary, then one line per family with its u32 hash layout figures.
    var lines: [String] {
        [summary] + layouts.map { layout in
            let name = layout.family == .ipv4 ? "IPv4" : "IPv6"
            if layout.selectsEverything { return "u32 \(name): every address (a /0 needs no table)" }
            guard layout.entry != nil else { return "u32 \(name): nothing selected" }
            let tables = layout.tables.count
            return "u32 \(name): \(tables) hash table\(tables == 1 ? "" : "s"), \(layout.leafCount) leaves, largest "
                + "bucket \(layout.largestBucket), worst path \(layout.worstPath) nodes, depth \(layout.depth)"
        }
    }

    var jsonValue: JSONValue {
        let before = selection.countsBeforeMerging
        let after = selection.countsAfterMerging
        func family(_ before: Int, _ after: Int, _ layout: HashLayout) -> JSONValue {
            .object([
                ("prefixes", .integer(UInt64(before))), ("merged", .integer(UInt64(after))),
                ("hashTables", .integer(UInt64(layout.tables.count))), ("leaves", .integer(UInt64(layout.leafCount))),
                ("largestBucket", .integer(UInt64(layout.largestBucket))),
                ("worstPath", .integer(UInt64(layout.worstPath))), ("depth", .integer(UInt64(layout.depth))),
            ])
        }
        let layouts = layouts
        return .object([
            ("serviceTags", resolved.tagFile.map { .string($0.path) } ?? .null),
            ("changeNumber", resolved.tagFile.map { .string($0.changeNumber) } ?? .null),
            ("tags", .array(selection.tags.map { .string($0.name) })),
            ("prefixes", .array(resolved.request.prefixes.map { .string($0.value) })),
            ("excludedPrefixes", .array(resolved.request.excludedPrefixes.map { .string($0.value) })),
            ("ports", .array(selection.ports.map { .integer(UInt64($0)) })),
            ("ipv4", family(before.ipv4, after.ipv4, layouts[0])),
            ("ipv6", family(before.ipv6, after.ipv6, layouts[1])),
        ])
    }
}
