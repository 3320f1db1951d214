import Foundation
import ThrottlePolicy
import TokenBucket
import TrafficControl
import TrafficSelection

/// What `status` prints.
struct StatusReport {
    let observed: ObservedState
    let expectation: (window: Window, matches: Bool)?
    let timeZone: TimeZoneRules
    /// The selection recorded by the last `apply` (``SelectionCache``), if any.
    var recorded: ResolvedSelectionRecord? = nil
    /// With a policy: the bucket sizings under which the kernel matches it (both when the window in force is the
    /// fastest, where they agree; none when it does not match).
    var sizings: [BucketSizing] = []
    /// With a policy the kernel does not match: what `apply` would do, under the policy's own bucket sizing.
    var pending: [TrafficControlOperation] = []
    /// Whether the policy given shapes selected traffic only (a `traffic` section).
    var policySelectsTraffic = false
    /// How many of `pending` the text spells out.
    static let pendingListed = 10

    private var sizingText: String? {
        switch sizings {
        case [.fastestWindow]: return "bucket sizing: fastest-window (every window has the fastest rate's burst and limit)"
        case [.perWindow]: return "bucket sizing: per-window (each window's burst and limit for its own rate)"
        case []: return nil
        default: return "bucket sizing: per-window or fastest-window (they agree in this window)"
        }
    }

    init(observed: ObservedState, expectation: (window: Window, matches: Bool)?, timeZone: TimeZoneRules) {
        self.observed = observed
        self.expectation = expectation
        self.timeZone = timeZone
    }

    /// Our selection filters as the kernel holds them (`nil`: none, the whole interface or nothing is shaped).
    var installed: InstalledSelection? { InstalledSelection(observed) }

    struct Direction {
        let name: String
        let device: String
        let rate: UInt64?
        /// The queue limit in bytes, as the kernel reports it.
        let limit: UInt32?
        let statistics: TrafficStatistics?
        /// The bucket in bytes and in µs at the rate, from the buffer ticks the kernel reports (64 ns each).
        var burst: (bytes: UInt64, microseconds: Double)? = nil

        /// The longest a packet can wait in a full queue: limit ÷ rate, in µs.
        var worstCaseQueueMicroseconds: Double? {
            guard let rate, rate > 0, let limit else { return nil }
            return 1_000_000 * Double(limit) * 8 / Double(rate)
        }
    }

    var directions: [Direction] {
        func direction(_ name: String, _ device: String, _ qdiscs: [KernelQdisc]) -> Direction {
            let root = qdiscs.first { $0.parent == .root && Ownership.owns($0.handle) }
            var rate: UInt64?
            var limit: UInt32?
            var burst: (UInt64, Double)?
            if case .tbf(let options)? = root?.options {
                rate = options.rate * 8
                limit = options.limit
                let nanoseconds = UInt64(options.bufferTicks) * 64
                burst = (KernelRate(bytesPerSecond: options.rate).bytes(sentIn: nanoseconds), Double(nanoseconds) / 1000)
            }
            return Direction(name: name, device: device, rate: rate, limit: limit, statistics: root?.statistics,
                             burst: burst)
        }
        // Upload is shaped on the interface's root (whole interface) or on the upload IFB (a selection).
        let onInterface = observed.qdiscs.contains { $0.parent == .root && Ownership.owns($0.handle) }
        let upload = onInterface || observed.uploadIFB == nil
            ? direction("upload", observed.interface.name, observed.qdiscs)
            : direction("upload", observed.uploadIFBName, observed.uploadIFBQdiscs)
        return [upload, direction("download", observed.ifbName, observed.ifbQdiscs)]
    }

    private func statistics(_ value: TrafficStatistics?) -> JSONValue {
        guard let value else { return .null }
        return .object([
            ("bytes", .integer(value.bytes)), ("packets", .integer(value.packets)),
            ("drops", .integer(UInt64(value.drops))), ("overlimits", .integer(UInt64(value.overlimits))),
            ("backlogBytes", .integer(UInt64(value.backlogBytes))),
        ])
    }

    var json: String {
        var members: [(String, JSONValue)] = [
            ("interface", .string(observed.interface.name)),
            ("ifb", observed.ifb.map { .string($0.name) } ?? .null),
            ("shaped", .bool(directions.contains { $0.rate != nil })),
            ("directions", .array(directions.map { direction in
                .object([
                    ("direction", .string(direction.name)), ("device", .string(direction.device)),
                    ("bitsPerSecond", direction.rate.map(JSONValue.integer) ?? .null),
                    ("limitBytes", direction.limit.map { .integer(UInt64($0)) } ?? .null),
                    ("burstBytes", direction.burst.map { .integer($0.bytes) } ?? .null),
                    ("burstMicroseconds", direction.burst.map { .number($0.microseconds) } ?? .null),
                    ("worstCaseQueueMicroseconds", direction.worstCaseQueueMicroseconds.map(JSONValue.number) ?? .null),
                    ("counters", statistics(direction.statistics)),
                ])
            })),
            ("redirectFilters", .integer(UInt64(observed.ownFilters.count))),
            ("selection", selectionJSON),
        ]
        if let expectation {
            members.append(("expected", WindowReport(window: expectation.window, timeZone: timeZone).jsonValue))
            members.append(("matches", .bool(expectation.matches)))
            members.append(("bucketSizings", .array(sizings.map { .string($0.rawValue) })))
            members.append(("pending", .array(pending.map { operation in
                .object([("verb", .string(operation.verb)), ("description", .string(operation.description)),
                         ("command", .string(operation.commandLine))])
            })))
        }
        return JSONValue.object(members).rendered()
    }

    var text: String {
        var lines: [String] = []
        for direction in directions {
            guard let rate = direction.rate, let stats = direction.statistics else {
                lines.append("\(direction.name) (\(direction.device)): not shaped by throttlectl")
                continue
            }
            let drops = stats.drops
            let burst = direction.burst.map { "burst \($0.bytes) B (\(ParamsReport.formatMicroseconds($0.microseconds)))" }
                ?? "burst ?"
            let queue = direction.limit.map { limit in
                "queue \(limit) B (at most \(ParamsReport.formatMicroseconds(direction.worstCaseQueueMicroseconds ?? 0)))"
            } ?? "queue ?"
            lines.append(
                "\(direction.name) (\(direction.device)): \(BitRate(bitsPerSecond: rate)), \(burst), \(queue); sent \(stats.bytes) bytes, "
                    + "\(stats.packets) packets; \(drops) dropped; \(stats.overlimits) overlimits")
        }
        if let installed {
            lines += selectionLines(installed)
        } else if policySelectsTraffic {
            lines.append("selection: no selection filters installed (the policy shapes only the traffic it selects)")
        } else {
            lines.append("ingress redirect filters: \(observed.ownFilters.count)")
        }
        if let expectation {
            let window = WindowReport(window: expectation.window, timeZone: timeZone).text
                .replacingOccurrences(of: "\n", with: "; ")
            lines.append("policy expects: \(window)")
            lines.append(expectation.matches ? "kernel matches the policy" : "kernel does NOT match the policy: run apply")
            if !expectation.matches && !pending.isEmpty {
                lines.append("apply would make \(pending.count) change\(pending.count == 1 ? "" : "s"):")
                // As tc lines: they name the prefix or the setting that differs.
                lines += pending.prefix(Self.pendingListed).map { "  \($0.commandLine)" }
                if pending.count > Self.pendingListed { lines.append("  … and \(pending.count - Self.pendingListed) more") }
            }
            if let sizingText { lines.append(sizingText) }
        }
        return lines.joined(separator: "\n")
    }
}

extension StatusReport {
    private static func hookName(_ hook: ClsactHook) -> String {
        hook == .egress ? "upload (egress, remote = destination)" : "download (ingress, remote = source)"
    }

    private static func portsText(_ ports: [UInt16]) -> String {
        ports.isEmpty ? "any remote port"
            : "remote port\(ports.count == 1 ? "" : "s") \(ports.map(String.init).joined(separator: ", "))"
    }

    /// `selection upload (egress, remote = destination): IPv4 3206 prefixes in 4253 leaves, 34 hash tables; …`,
    /// one line per hook, then what the last apply recorded.
    func selectionLines(_ installed: InstalledSelection) -> [String] {
        var lines: [String] = []
        for hook in ClsactHook.allCases {
            let trees = installed.trees(on: hook)
            guard !trees.isEmpty else {
                lines.append("selection \(Self.hookName(hook)): nothing installed")
                continue
            }
            let families = trees.map { tree in
                "\(tree.family == .ipv4 ? "IPv4" : "IPv6") \(tree.prefixes) prefix\(tree.prefixes == 1 ? "" : "es") in "
                    + "\(tree.leaves) lea\(tree.leaves == 1 ? "f" : "ves"), \(tree.hashTables) hash "
                    + "table\(tree.hashTables == 1 ? "" : "s")"
            }
            let ports = Set(trees.map(\.ports)).count == 1 ? Self.portsText(trees[0].ports)
                : trees.map { "\($0.family == .ipv4 ? "IPv4" : "IPv6") \(Self.portsText($0.ports))" }
                    .joined(separator: ", ")
            lines.append("selection \(Self.hookName(hook)): \(families.joined(separator: "; ")); \(ports)")
        }
        if let recorded {
            let selection = recorded.selection
            let before = selection.countsBeforeMerging
            let after = selection.countsAfterMerging
            let tags = selection.tags.isEmpty ? "no tags" : "tags \(selection.tags.map(\.name).joined(separator: ", "))"
            lines.append("selection applied from \(tags) in \(recorded.tagFilePath) (\(ServiceTagFile.changeLabel(recorded.changeNumber))); "
                + "IPv4 \(before.ipv4) → \(after.ipv4), IPv6 \(before.ipv6) → \(after.ipv6) prefixes after merging and any exclusions")
        }
        return lines
    }

    var selectionJSON: JSONValue {
        guard let installed else { return .null }
        func hook(_ hook: ClsactHook) -> JSONValue {
            .object(installed.trees(on: hook).map { tree in
                (tree.family == .ipv4 ? "ipv4" : "ipv6", .object([
                    ("priority", .integer(UInt64(tree.priority))),
                    ("prefixes", .integer(UInt64(tree.prefixes))), ("leaves", .integer(UInt64(tree.leaves))),
                    ("hashTables", .integer(UInt64(tree.hashTables))),
                    ("ports", .array(tree.ports.map { .integer(UInt64($0)) })),
                ]))
            })
        }
        var recordedJSON = JSONValue.null
        if let recorded {
            let before = recorded.selection.countsBeforeMerging
            let after = recorded.selection.countsAfterMerging
            recordedJSON = .object([
                ("serviceTags", .string(recorded.tagFilePath)), ("changeNumber", .string(recorded.changeNumber)),
                ("tags", .array(recorded.selection.tags.map { .string($0.name) })),
                ("ports", .array(recorded.selection.ports.map { .integer(UInt64($0)) })),
                ("ipv4", .object([("prefixes", .integer(UInt64(before.ipv4))), ("merged", .integer(UInt64(after.ipv4)))])),
                ("ipv6", .object([("prefixes", .integer(UInt64(before.ipv6))), ("merged", .integer(UInt64(after.ipv6)))])),
            ])
        }
        return .object([("upload", hook(.egress)), ("download", hook(.ingress)), ("applied", recordedJSON)])
    }
}
