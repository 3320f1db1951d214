import Foundation
import ThrottlePolicy

/// How `next` prints transitions: a table for people, JSON for timers and scripts.
struct NextReport {
    let policy: Policy
    let from: Date
    let transitions: [Transition]

    private func local(_ date: Date) -> String { ISO8601.format(date, in: policy.timeZone) }
    private func utc(_ date: Date) -> String {
        ISO8601.format(date, in: .utc).replacingOccurrences(of: "+00:00", with: "Z")
    }

    /// Why nothing changes, for a policy without transitions.
    var noTransitionText: String {
        guard policy.throttling, policy.schedule != nil else { return "no transitions: throttling is off" }
        return "no transitions after \(local(from)): the bandwidth (\(Schedule(policy: policy).bandwidth(at: from))) "
            + "never changes"
    }

    var text: String {
        var lines = [policy.summary]
        guard !transitions.isEmpty else { return (lines + [noTransitionText]).joined(separator: "\n") }
        lines.append(
            "AT (\(policy.timeZone.name))".padding(31) + "AT (UTC)".padding(26) + "KIND".padding(16) + "BANDWIDTH")
        for transition in transitions {
            let window = WindowReport(window: transition.window, timeZone: policy.timeZone)
            lines.append(local(transition.instant).padding(31) + utc(transition.instant).padding(26)
                + transition.allowance.kind.rawValue.padding(16) + window.bandwidthText)
        }
        return lines.joined(separator: "\n")
    }

    var json: String {
        let items = transitions.map { transition -> JSONValue in
            let window = transition.window
            return .object([
                ("at", .string(local(transition.instant))),
                ("utc", .string(utc(transition.instant))),
                ("epochSeconds", .integer(UInt64(max(0, transition.instant.timeIntervalSince1970.rounded(.down))))),
                ("kind", .string(window.kind.rawValue)),
                ("throttled", .bool(window.isThrottled)),
                ("bitsPerSecond", WindowReport.bits(window.bandwidth, window).map(JSONValue.integer) ?? .null),
                ("downloadBitsPerSecond",
                 WindowReport.bits(window.allowance.download, window).map(JSONValue.integer) ?? .null),
                ("previousKind", .string(transition.previous.kind.rawValue)),
            ])
        }
        return JSONValue.object([
            ("timeZone", .string(policy.timeZone.name)),
            ("from", .string(local(from))),
            ("policy", .string(policy.summary)),
            ("transitions", .array(items)),
        ]).rendered()
    }
}
