import Foundation
import ThrottlePolicy

/// A window as `show` and `simulate` print it: text, JSON or CSV, instants in the policy's zone.
struct WindowReport {
    let window: Window
    let timeZone: TimeZoneRules

    var startText: String? { window.start.map { ISO8601.format($0, in: timeZone) } }
    var endText: String? { window.end.map { ISO8601.format($0, in: timeZone) } }

    /// The JSON object: kind, throttled, bitsPerSecond, start, end, timeZone.
    var jsonValue: JSONValue {
        .object([
            ("kind", .string(window.kind.rawValue)),
            ("throttled", .bool(window.isThrottled)),
            ("bitsPerSecond", Self.bits(window.bandwidth, window).map(JSONValue.integer) ?? .null),
            ("downloadBitsPerSecond", Self.bits(window.allowance.download, window).map(JSONValue.integer) ?? .null),
            ("start", startText.map(JSONValue.string) ?? .null),
            ("end", endText.map(JSONValue.string) ?? .null),
            ("timeZone", .string(timeZone.name)),
        ])
    }

    static func json(_ reports: [WindowReport], asArray: Bool) -> String {
        asArray ? JSONValue.array(reports.map(\.jsonValue)).rendered() : reports[0].jsonValue.rendered()
    }

    /// The limit in bits per second, or `nil` when unlimited or unthrottled.
    static func bits(_ bandwidth: Bandwidth, _ window: Window) -> UInt64? {
        window.kind == .unthrottled ? nil : bandwidth.bitsPerSecond
    }

    static let csvHeader = "kind,throttled,bitsPerSecond,start,end,timeZone,downloadBitsPerSecond"

    var csvRow: String {
        let upload = Self.bits(window.bandwidth, window).map(String.init) ?? ""
        let download = Self.bits(window.allowance.download, window).map(String.init) ?? ""
        return [window.kind.rawValue, String(window.isThrottled), upload, startText ?? "", endText ?? "",
                timeZone.name, download].joined(separator: ",")
    }

    /// What the bandwidth means, for people: `512 Kibit/s (524288 bit/s)`, `unlimited`.
    var bandwidthText: String {
        guard window.kind != .unthrottled else { return "not limited (throttling is off)" }
        func text(_ bandwidth: Bandwidth) -> String {
            switch bandwidth {
            case .unlimited: return "unlimited"
            case .limited(let rate): return "\(rate) (\(rate.bitsPerSecond) bit/s)"
            }
        }
        let upload = text(window.bandwidth)
        return window.allowance.isAsymmetric ? "\(upload) up, \(text(window.allowance.download)) down" : upload
    }

    /// Two lines: the allowance, then its extent.
    var text: String {
        let since = startText.map { "since \($0)" } ?? "since always"
        let until = endText.map { "until \($0)" } ?? "with no change ahead"
        return "\(window.kind.rawValue): \(bandwidthText)\n\(since), \(until) (\(timeZone.name))"
    }
}
