import Foundation
import ThrottlePolicy
import TokenBucket

extension RateSegment {
    /// A schedule window as the transfer estimator sees it: a limit, or none.
    init(_ window: Window) {
        self.init(
            start: window.start!, end: window.end!, bitsPerSecond: window.isThrottled ? window.bandwidth.bitsPerSecond : nil,
            kind: window.kind.rawValue)
    }
}

/// How `simulate --transfer` prints an estimate.
struct TransferReport {
    let estimate: TransferEstimate
    let timeZone: TimeZoneRules

    private func instant(_ date: Date) -> String { ISO8601.format(date, in: timeZone) }

    var json: String {
        JSONValue.object([
            ("start", .string(instant(estimate.start))),
            ("finish", .string(instant(estimate.finish))),
            ("seconds", .number(estimate.seconds)),
            ("bytes", .integer(estimate.bytes)),
            ("timeZone", .string(timeZone.name)),
            ("windows", .array(estimate.windows.map { window in
                .object([
                    ("start", .string(instant(window.start))), ("end", .string(instant(window.end))),
                    ("kind", .string(window.kind)), ("bitsPerSecond", .integer(window.bitsPerSecond)),
                    ("bytes", .integer(window.bytes)),
                ])
            })),
        ]).rendered()
    }

    var text: String {
        var lines = [
            "\(estimate.bytes) bytes from \(instant(estimate.start)) finish at \(instant(estimate.finish)) "
                + "(\(Self.duration(estimate.seconds)), \(timeZone.name))",
            "START".padding(27) + "END".padding(27) + "KIND".padding(16) + "RATE".padding(16) + "BYTES",
        ]
        for window in estimate.windows {
            lines.append(
                instant(window.start).padding(27) + instant(window.end).padding(27) + window.kind.padding(16)
                    + BitRate(bitsPerSecond: window.bitsPerSecond).description.padding(16) + "\(window.bytes)")
        }
        return lines.joined(separator: "\n")
    }

    /// `3 d 4 h 5 min 6 s`.
    static func duration(_ seconds: Double) -> String {
        var rest = Int(seconds.rounded())
        var parts: [String] = []
        for (unit, size) in [("d", 86_400), ("h", 3600), ("min", 60)] where rest >= size {
            parts.append("\(rest / size) \(unit)")
            rest %= size
        }
        if rest > 0 || parts.isEmpty { parts.append("\(rest) s") }
        return parts.joined(separator: " ")
    }
}
