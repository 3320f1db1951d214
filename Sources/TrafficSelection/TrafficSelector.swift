/// A value and where it was written: `FILE:LINE:COLUMN`, or the flag that gave it.
public struct Placed<Value: Sendable>: Sendable {
    public let value: Value
    public let place: String
    public init(_ value: Value, at place: String) {
        self.value = value
        self.place = place
    }
}

/// What an operator asks to shape: remote addresses in (tags ∪ prefixes) − excluded prefixes, and, when
/// ports are given, only those remote ports.
public struct SelectionRequest: Sendable {
    public var tags: [Placed<String>]
    public var prefixes: [Placed<String>]
    public var excludedPrefixes: [Placed<String>]
    public var ports: [Placed<Int>]

    public init(tags: [Placed<String>] = [], prefixes: [Placed<String>] = [], excludedPrefixes: [Placed<String>] = [],
                ports: [Placed<Int>] = []) {
        self.tags = tags
        self.prefixes = prefixes
        self.excludedPrefixes = excludedPrefixes
        self.ports = ports
    }

    /// MARS's own endpoints: the tags its network requirements list, over HTTPS.
    public static let marsTags = ["AzureBackup", "Storage", "AzureActiveDirectory"]
    public static let marsPorts = [443]
}

/// The traffic to shape, resolved and merged.
public struct TrafficSelection: Sendable {
    /// The remote addresses, merged (duplicates, contained and adjacent prefixes joined), exclusions removed.
    public let remote: PrefixSet
    /// Remote TCP/UDP ports, sorted and unique; empty means any port (and any protocol).
    public let ports: [UInt16]
    /// The tags used, in the order asked.
    public let tags: [ServiceTag]
    /// How many prefixes the tags and extra prefixes held before merging, per family.
    public let countsBeforeMerging: (ipv4: Int, ipv6: Int)

    public var countsAfterMerging: (ipv4: Int, ipv6: Int) {
        (remote.prefixes(of: .ipv4).count, remote.prefixes(of: .ipv6).count)
    }

    /// Resolves `request` against `file` (needed when the request names tags).
    /// - Throws: every problem found, each with its place: an unknown tag (with "did you mean"), a malformed
    ///   prefix or port, tags without a file, an empty selection.
    public static func resolve(_ request: SelectionRequest, file: ServiceTagFile?) throws(SelectionProblems) -> TrafficSelection {
        var problems: [SelectionProblem] = []
        var tags: [ServiceTag] = []
        var seen = Set<String>()
        for tag in request.tags where seen.insert(tag.value).inserted {
            guard let file else {
                problems.append(SelectionProblem(place: tag.place, message: "tag \(tag.value) needs a service-tags file "
                    + "(service-tags: FILE, or --service-tags FILE)"))
                continue
            }
            if let found = file.tag(named: tag.value) {
                tags.append(found)
            } else {
                let hint = file.suggestion(for: tag.value).map { ": did you mean \($0)?" } ?? ""
                problems.append(SelectionProblem(place: tag.place, message: "no service tag \(tag.value) in "
                    + "\(file.path)\(hint)"))
            }
        }
        let extra = Self.prefixes(request.prefixes, problems: &problems)
        let excluded = Self.prefixes(request.excludedPrefixes, problems: &problems)
        let ports = Self.ports(request.ports, problems: &problems)
        let all = tags.flatMap(\.prefixes) + extra
        let remote = PrefixSet(all).subtracting(PrefixSet(excluded))
        if problems.isEmpty && remote.isEmpty {
            var place = request.tags.first?.place ?? request.prefixes.first?.place ?? ""
            let message: String
            if !all.isEmpty {
                // The exclusions emptied it: point at them, not at what they removed.
                place = request.excludedPrefixes.first?.place ?? place
                message = "the traffic selection is empty: the excluded prefixes remove every address"
            } else if tags.isEmpty {
                message = "the traffic selection is empty: give tags or prefixes"
            } else {
                let names = tags.map(\.name).joined(separator: ", ")
                message = "the traffic selection is empty: \(tags.count == 1 ? "tag" : "tags") \(names) "
                    + "\(tags.count == 1 ? "has" : "have") no prefixes in \(file?.path ?? "the tag file"); give other tags or prefixes"
            }
            problems.append(SelectionProblem(place: place, message: message))
        }
        guard problems.isEmpty else { throw SelectionProblems(problems: problems) }
        return TrafficSelection(remote: remote, ports: ports.sorted(), tags: tags,
                                countsBeforeMerging: (all.count { $0.family == .ipv4 }, all.count { $0.family == .ipv6 }))
    }

    /// The problems of `request` that need no tag file: malformed prefixes (extra or excluded) and ports. A
    /// caller whose tag file cannot be read reports them beside that, so that one run names every mistake.
    public static func problemsWithoutTagFile(in request: SelectionRequest) -> [SelectionProblem] {
        var problems: [SelectionProblem] = []
        _ = prefixes(request.prefixes, problems: &problems)
        _ = prefixes(request.excludedPrefixes, problems: &problems)
        _ = ports(request.ports, problems: &problems)
        return problems
    }

    /// The prefixes of `list` that parse; each one that does not adds its problem.
    private static func prefixes(_ list: [Placed<String>], problems: inout [SelectionProblem]) -> [IPPrefix] {
        list.compactMap { item in
            do throws(PrefixError) {
                let prefix = try IPPrefix(item.value)
                if let ipv4 = prefix.ipv4Mapped {
                    throw PrefixError("\"\(item.value)\" is an IPv4-mapped IPv6 prefix, which no packet on the wire "
                        + "carries (IPv4 packets carry IPv4 addresses): did you mean \(ipv4)?")
                }
                return prefix
            } catch {
                problems.append(SelectionProblem(place: item.place, message: error.message))
                return nil
            }
        }
    }

    /// The ports of `list` that are 1 … 65535; each one that is not adds its problem.
    private static func ports(_ list: [Placed<Int>], problems: inout [SelectionProblem]) -> Set<UInt16> {
        var ports = Set<UInt16>()
        for port in list {
            guard (1...65_535).contains(port.value) else {
                problems.append(SelectionProblem(place: port.place, message: "port \(port.value) is not 1 … 65535"))
                continue
            }
            ports.insert(UInt16(port.value))
        }
        return ports
    }
}

/// What changed between two prefix sets: what a weekly file adds and removes.
public struct PrefixDiff: Sendable {
    public let added: [IPPrefix]
    public let removed: [IPPrefix]

    /// The prefixes in `new` and not in `old`, and the other way round (as written, not merged).
    public init(from old: [IPPrefix], to new: [IPPrefix]) {
        let before = Set(old)
        let after = Set(new)
        added = after.subtracting(before).sorted()
        removed = before.subtracting(after).sorted()
    }
}

/// Every problem found while resolving a selection, in the order found.
public struct SelectionProblems: Error, Sendable, CustomStringConvertible {
    public let problems: [SelectionProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
    /// 66 when a file could not be read, else 65.
    public var exitCode: Int32 { problems.contains { $0.exitCode == 66 } ? 66 : 65 }
}
