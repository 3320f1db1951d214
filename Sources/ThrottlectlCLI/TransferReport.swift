import Foundation
import ThrottlePolicy
import TokenBucket

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
        let rows = estimate.windows.map { window in
            [instant(window.start), instant(window.end), window.kind,
             BitRate(bitsPerSecond: window.bitsPerSecond).description, "\(window.bytes)"]
        }
        // Instants with milliseconds (a sub-second transfer's end) are longer: size the columns to the cells.
        let header = ["START", "END", "KIND", "RATE", "BYTES"]
        let minimum = [27, 27, 16, 16, 0]
        let widths = (0..<header.count).map { column in
            max(minimum[column], (rows.map { $0[column].count + 2 }.max() ?? 0))
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).enumerated().map { index, pair in
                index == cells.count - 1 ? pair.0 : pair.0.padding(pair.1)
            }.joined()
        }
        let summary =
            "\(estimate.bytes) bytes from \(instant(estimate.start)) finish at \(instant(estimate.finish)) "
            + "(\(Self.duration(estimate.seconds)), \(timeZone.name))"
        return ([summary, line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// `3 d 4 h 5 min 6 s`; under a second, `8 ms` (or `under 1 ms`), never `0 s` for a transfer that takes time.
    static func duration(_ seconds: Double) -> String {
        if seconds < 0.5 {
            let milliseconds = (seconds * 1000).rounded()
            return milliseconds < 1 ? (seconds > 0 ? "under 1 ms" : "0 s") : "\(Int(milliseconds)) ms"
        }
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
