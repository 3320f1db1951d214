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

    private var windowReport: WindowReport? { window.map { WindowReport(window: $0, timeZone: timeZone) } }

    private var outcomeName: String {
        guard let outcome else { return dryRun ? "dry-run" : operations.isEmpty ? "unchanged" : "planned" }
        if outcome.succeeded { return "applied" }
        return outcome.rollbackFailures.isEmpty ? "rolled-back" : "failed"
    }

    var jsonValue: JSONValue {
        .object([
            ("interface", .string(interface)),
            ("changed", .bool(!dryRun && (outcome?.succeeded ?? false) && !operations.isEmpty)),
            ("outcome", .string(outcomeName)),
            ("dryRun", .bool(dryRun)),
            ("operations", .array(operations.map { operation in
                .object([("verb", .string(operation.verb)), ("description", .string(operation.description)),
                         ("command", .string(operation.commandLine))])
            })),
            ("window", windowReport?.jsonValue ?? .null),
            ("time", .string(ISO8601.format(Date(), in: timeZone))),
        ] + (selection.map { [("selection", $0.jsonValue)] } ?? []))
    }

    var json: String { jsonValue.rendered() }
    var journalEntry: JSONValue { jsonValue }

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
        return ([headline]
            + operations.map { "  \($0)" }).joined(separator: "\n")
    }

    var dryRunText: String {
        var lines = ["\(interface): dry run for \(windowLine)"]
        lines += selection?.lines.map { "  \($0)" } ?? []
        if let plan {
            for (name, direction) in [("upload", plan.upload), ("download", plan.download)] {
                guard let direction else {
                    lines.append("  \(name): not limited")
                    continue
                }
                let tbf = direction.tbf
                lines.append(
                    "  \(name) on \(direction.device): tbf \(direction.bitsPerSecond) bit/s, burst \(tbf.burst) B "
                        + "(\(tbf.kernelBufferTicks) ticks), limit \(tbf.limit) B "
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
