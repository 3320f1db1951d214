import Foundation
import ThrottlePolicy

/// A window as `show` and `simulate` print it: text, JSON or CSV, instants in the policy's zone.
struct WindowReport {
    let window: Window
    let timeZone: TimeZone

    var startText: String? { window.start.map { ISO8601.format($0, in: timeZone) } }
    var endText: String? { window.end.map { ISO8601.format($0, in: timeZone) } }

    /// The JSON object: kind, throttled, bitsPerSecond, start, end, timeZone.
    var jsonValue: JSONValue {
        .object([
            ("kind", .string(window.kind.rawValue)),
            ("throttled", .bool(window.isThrottled)),
            ("bitsPerSecond", window.isThrottled ? window.bandwidth.bitsPerSecond.map(JSONValue.integer) ?? .null : .null),
            ("start", startText.map(JSONValue.string) ?? .null),
            ("end", endText.map(JSONValue.string) ?? .null),
            ("timeZone", .string(timeZone.identifier)),
        ])
    }

    static func json(_ reports: [WindowReport], asArray: Bool) -> String {
        asArray ? JSONValue.array(reports.map(\.jsonValue)).rendered() : reports[0].jsonValue.rendered()
    }

    static let csvHeader = "kind,throttled,bitsPerSecond,start,end,timeZone"

    var csvRow: String {
        let bits = window.isThrottled ? window.bandwidth.bitsPerSecond.map(String.init) ?? "" : ""
        return [window.kind.rawValue, String(window.isThrottled), bits, startText ?? "", endText ?? "", timeZone.identifier]
            .joined(separator: ",")
    }

    /// What the bandwidth means, for people: `512 Kibit/s (524288 bit/s)`, `unlimited`.
    var bandwidthText: String {
        switch (window.kind, window.bandwidth) {
        case (.unthrottled, _): return "not limited (throttling is off)"
        case (_, .unlimited): return "unlimited"
        case (_, .limited(let rate)): return "\(rate) (\(rate.bitsPerSecond) bit/s)"
        }
    }

    /// Two lines: the allowance, then its extent.
    var text: String {
        let since = startText.map { "since \($0)" } ?? "since always"
        let until = endText.map { "until \($0)" } ?? "with no change ahead"
        return "\(window.kind.rawValue): \(bandwidthText)\n\(since), \(until) (\(timeZone.identifier))"
    }
}
