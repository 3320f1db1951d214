import Foundation
import ThrottlePolicy
import TrafficControl

/// What `apply` and `clear` print and journal.
struct ApplyReport {
    let interface: String
    let window: Window?
    let timeZone: TimeZoneRules
    let plan: ShapingPlan?
    let operations: [TrafficControlOperation]
    let dryRun: Bool
    var outcome: ApplyOutcome?
    /// The traffic selection shaped, when the policy has one.
    var selection: SelectionReport?
    /// `--bucket-sizing` in force.
    var sizing: BucketSizing = .perWindow

    /// The sizing, for the dry run: which rate each bucket was sized for.
    var sizingText: String {
        switch sizing {
        case .perWindow: return "per-window (each window's bucket and limit for its own rate)"
        case .fastestWindow:
            return "fastest-window (each direction's bucket and limit for the schedule's fastest rate; switches in place)"
        }
    }

    private var windowReport: WindowReport? { window.map { WindowReport(window: $0, timeZone: timeZone) } }

    private var outcomeName: String {
        guard let outcome else { return dryRun ? "dry-run" : operations.isEmpty ? "unchanged" : "planned" }
        if outcome.succeeded { return "applied" }
        return outcome.rollbackFailures.isEmpty ? "rolled-back" : "failed"
    }

    var jsonValue: JSONValue { jsonValue(listing: operations.count) }

    /// The report with the first `listing` operations spelled out; when some are left out, `operationCount`
    /// and `operationsByVerb` count them all.
    private func jsonValue(listing: Int) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("interface", .string(interface)),
            ("changed", .bool(!dryRun && (outcome?.succeeded ?? false) && !operations.isEmpty)),
            ("outcome", .string(outcomeName)),
            ("dryRun", .bool(dryRun)),
            ("bucketSizing", .string(sizing.rawValue)),
            ("operations", .array(operations.prefix(listing).map { operation in
                .object([("verb", .string(operation.verb)), ("description", .string(operation.description)),
                         ("command", .string(operation.commandLine))])
            })),
        ]
        if listing < operations.count {
            members.append(("operationCount", .integer(UInt64(operations.count))))
            members.append(("operationsByVerb", .object(verbCounts.map { ($0.verb, .integer(UInt64($0.count))) })))
        }
        members += [
            ("window", windowReport?.jsonValue ?? .null),
            ("time", .string(ISO8601.format(Date(), in: timeZone))),
        ]
        return .object(members + (selection.map { [("selection", $0.jsonValue)] } ?? []))
    }

    /// Operations per verb, in order of first appearance.
    private var verbCounts: [(verb: String, count: Int)] {
        var counts: [(verb: String, count: Int)] = []
        var positions: [String: Int] = [:]
        for operation in operations {
            if let at = positions[operation.verb] { counts[at].count += 1 } else {
                positions[operation.verb] = counts.count
                counts.append((operation.verb, 1))
            }
        }
        return counts
    }

    /// Operations spelled out in the journal and in the text report; a selection's first install has
    /// thousands (all of AzureCloud: 12,379), which would make every journal line megabytes long.
    static let listedOperations = 100

    var json: String { jsonValue.rendered() }
    /// One journal line: at most ``listedOperations`` operations spelled out, the rest counted by verb.
    var journalEntry: JSONValue { jsonValue(listing: Self.listedOperations) }

    private var windowLine: String {
        guard let windowReport else { return "nothing of throttlectl's" }
        return windowReport.text.replacingOccurrences(of: "\n", with: "; ")
    }

    var unchangedText: String {
        window == nil
            ? "\(interface): nothing of throttlectl's to remove; nothing written"
            : "\(interface): already in place (\(windowLine)); nothing written"
    }

    var appliedText: String {
        let headline = window == nil
            ? "\(interface): removed throttlectl's objects (\(operations.count) change(s))"
            : "\(interface): applied \(operations.count) change(s) for \(windowLine)"
        var lines = [headline] + operations.prefix(Self.listedOperations).map { "  \($0)" }
        if operations.count > Self.listedOperations {
            lines.append("  … and \(operations.count - Self.listedOperations) more ("
                + verbCounts.map { "\($0.count) \($0.verb)" }.joined(separator: ", ") + " in all; --json lists every one)")
        }
        return lines.joined(separator: "\n")
    }

    var dryRunText: String {
        var lines = ["\(interface): dry run for \(windowLine)"]
        lines += selection?.lines.map { "  \($0)" } ?? []
        if plan?.isUnshaped == false { lines.append("  bucket sizing: \(sizingText)") }
        if let plan {
            for (name, direction) in [("upload", plan.upload), ("download", plan.download)] {
                guard let direction else {
                    lines.append("  \(name): not limited")
                    continue
                }
                let tbf = direction.tbf
                let burstTime = 1_000_000 * Double(tbf.burst) / Double(max(tbf.rate.bytesPerSecond, 1))
                lines.append(
                    "  \(name) on \(direction.device): tbf \(direction.bitsPerSecond) bit/s, burst \(tbf.burst) B "
                        + "(\(ParamsReport.formatMicroseconds(burstTime)) at the rate, \(tbf.kernelBufferTicks) ticks), "
                        + "limit \(tbf.limit) B "
                        + "(at most \(ParamsReport.formatMicroseconds(tbf.worstCaseQueueMicroseconds)) of queue)")
            }
        }
        if operations.isEmpty {
            lines.append("  nothing to change")
        } else {
            lines.append("  would run:")
            lines += operations.map { "    \($0.commandLine)" }
        }
        return lines.joined(separator: "\n")
    }
}
