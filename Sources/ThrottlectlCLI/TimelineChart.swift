import Foundation
import ThrottlePolicy

/// An SVG chart of a timeline that a person reads at a glance: one row per local day, one column per hour,
/// each stretch coloured by its rate (slow red through fast green, unlimited blue, unthrottled grey), with a
/// legend and the time zone in the title.
struct TimelineChart {
    let windows: [Window]
    let policy: Policy
    let from: Date
    let to: Date

    private let labelWidth = 120.0
    private let hourWidth = 32.0
    private let rowHeight = 24.0
    private let top = 64.0

    var svg: String {
        let clock = WallClock(zone: policy.timeZone)
        let firstDay = clock.localDate(at: from)
        let lastDay = clock.localDate(at: to.addingTimeInterval(-0.001))
        let dayCount = lastDay.dayNumber - firstDay.dayNumber + 1
        let allowances = legendOrder()
        let width = labelWidth + 24 * hourWidth + 20
        let legendTop = top + Double(dayCount) * rowHeight + 16
        let height = legendTop + Double(allowances.count) * 22 + 12
        let title = "throttlectl schedule, \(policy.timeZone.name): \(firstDay) to \(lastDay)"

        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" \
            viewBox="0 0 \(fmt(width)) \(fmt(height))" role="img" font-family="sans-serif" font-size="12">
            <title>\(escape(title))</title>
            <desc>\(escape(policy.summary))</desc>
            <rect width="100%" height="100%" fill="#ffffff"/>
            <text x="10" y="22" font-size="15" font-weight="bold">\(escape(title))</text>

            """
        for hour in 0..<24 {
            let x = labelWidth + Double(hour) * hourWidth
            out += "<text x=\"\(fmt(x + 2))\" y=\"\(fmt(top - 8))\" fill=\"#555\">\(pad2(hour))</text>\n"
        }
        for row in 0..<dayCount {
            let day = LocalDate(dayNumber: firstDay.dayNumber + row)
            let y = top + Double(row) * rowHeight
            out += "<text x=\"10\" y=\"\(fmt(y + rowHeight * 0.7))\">\(day.weekday.shortName) \(day)</text>\n"
        }
        for window in windows {
            out += segments(of: window, clock: clock, firstDay: firstDay, allowances: allowances)
        }
        for hour in 0...24 {
            let x = labelWidth + Double(hour) * hourWidth
            out += "<line x1=\"\(fmt(x))\" y1=\"\(fmt(top))\" x2=\"\(fmt(x))\" "
                + "y2=\"\(fmt(top + Double(dayCount) * rowHeight))\" stroke=\"#ffffff\" stroke-opacity=\"0.6\"/>\n"
        }
        for (index, allowance) in allowances.enumerated() {
            let y = legendTop + Double(index) * 22
            out += "<rect x=\"10\" y=\"\(fmt(y))\" width=\"16\" height=\"16\" fill=\"\(colour(allowance, in: allowances))\"/>"
            out += "<text x=\"34\" y=\"\(fmt(y + 12))\">\(escape(legendText(allowance)))</text>\n"
        }
        return out + "</svg>"
    }

    /// The rectangles of one window, split at local midnights.
    private func segments(of window: Window, clock: WallClock, firstDay: LocalDate, allowances: [Allowance]) -> String {
        guard let start = window.start, let end = window.end else { return "" }
        var out = ""
        var cursor = start
        while cursor < end {
            let day = clock.localDate(at: cursor)
            let nextMidnight = clock.startOfDay(day.adding(days: 1))
            let segmentEnd = min(end, nextMidnight > cursor ? nextMidnight : end)
            let x0 = clock.secondsSinceLocalMidnight(at: cursor)
            var x1 = segmentEnd == nextMidnight ? 86_400 : clock.secondsSinceLocalMidnight(at: segmentEnd)
            if x1 <= x0 { x1 = 86_400 }
            let y = top + Double(day.dayNumber - firstDay.dayNumber) * rowHeight
            let x = labelWidth + x0 / 3600 * hourWidth
            let w = (x1 - x0) / 3600 * hourWidth
            let tip = "\(legendText(window.allowance)): \(ISO8601.format(cursor, in: policy.timeZone)) to "
                + ISO8601.format(segmentEnd, in: policy.timeZone)
            out += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y + 1))\" width=\"\(fmt(w))\" height=\"\(fmt(rowHeight - 2))\" "
                + "fill=\"\(colour(window.allowance, in: allowances))\"><title>\(escape(tip))</title></rect>\n"
            cursor = segmentEnd
        }
        return out
    }

    /// Distinct allowances, slowest first.
    private func legendOrder() -> [Allowance] {
        var seen: [Allowance] = []
        for window in windows where !seen.contains(window.allowance) { seen.append(window.allowance) }
        return seen.sorted { lhs, rhs in
            (lhs.bandwidth.bitsPerSecond ?? .max, lhs.kind.rawValue) < (rhs.bandwidth.bitsPerSecond ?? .max, rhs.kind.rawValue)
        }
    }

    private func legendText(_ allowance: Allowance) -> String {
        switch allowance.kind {
        case .unthrottled: return "unthrottled"
        default: return "\(allowance.kind.rawValue): \(allowance.bandwidth)"
        }
    }

    /// Red for the slowest rate through green for the fastest; blue for unlimited, grey for unthrottled.
    private func colour(_ allowance: Allowance, in allowances: [Allowance]) -> String {
        if allowance.kind == .unthrottled { return "#bdbdbd" }
        guard let bits = allowance.bandwidth.bitsPerSecond else { return "#6baed6" }
        let rates = Set(allowances.compactMap(\.bandwidth.bitsPerSecond)).sorted()
        // A lone rate is a limit all the same: amber, not the green of "fast".
        let position = rates.count > 1 ? Double(rates.firstIndex(of: bits)!) / Double(rates.count - 1) : 0.3
        return hsl(hue: 5 + 115 * position, saturation: 0.62, lightness: 0.52)
    }

    private func hsl(hue: Double, saturation: Double, lightness: Double) -> String {
        let c = (1 - abs(2 * lightness - 1)) * saturation
        let x = c * (1 - abs((hue / 60).truncatingRemainder(dividingBy: 2) - 1))
        let m = lightness - c / 2
        let (r, g, b): (Double, Double, Double) = hue < 60 ? (c, x, 0) : (x, c, 0)
        let hex = [r, g, b].map { value -> String in
            let byte = String(Int(((value + m) * 255).rounded()), radix: 16)
            return byte.count == 1 ? "0" + byte : byte
        }
        return "#" + hex.joined()
    }

    private func fmt(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }

    private func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
