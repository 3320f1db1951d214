import Foundation

/// Reads and writes ISO-8601 instants with an explicit offset (`Z` or `±HH:MM`), without `DateFormatter`.
public enum ISO8601 {
    /// Reads `YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM|±HHMM|±HH)`; a space may stand for the `T`.
    public static func parse(_ text: String) throws(ValueError) -> Date {
        let invalid = ValueError(
            "\"\(text)\" is not an ISO-8601 instant with an offset: write for example 2026-11-24T09:00:00Z "
                + "or 2026-11-24T09:00:00+01:00")
        let trimmed = text.trimmingWhitespace()
        let chars = Array(trimmed)
        guard chars.count >= 17, chars[10] == "T" || chars[10] == "t" || chars[10] == " " else { throw invalid }
        let date = try LocalDate(parsing: String(chars[0..<10]))
        var rest = String(chars[11...])
        // Offset: the last `Z`, `+` or `-`.
        var offsetSeconds = 0
        if rest.hasSuffix("Z") || rest.hasSuffix("z") {
            rest.removeLast()
        } else if let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let offsetText = rest[rest.index(after: sign)...].filter { $0 != ":" }
            guard [2, 4].contains(offsetText.count), offsetText.allSatisfy(\.isASCIIDigit) else { throw invalid }
            let hours = Int(offsetText.prefix(2))!
            let minutes = offsetText.count == 4 ? Int(offsetText.suffix(2))! : 0
            guard hours <= 18, minutes < 60 else { throw invalid }
            offsetSeconds = (hours * 3600 + minutes * 60) * (rest[sign] == "-" ? -1 : 1)
            rest = String(rest[..<sign])
        } else {
            throw invalid
        }
        var fraction = 0.0
        if let dot = rest.firstIndex(where: { $0 == "." || $0 == "," }) {
            let digits = rest[rest.index(after: dot)...]
            guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { throw invalid }
            fraction = Double("0." + digits)!
            rest = String(rest[..<dot])
        }
        let time: TimeOfDay
        do throws(ValueError) {
            time = try TimeOfDay(parsing: rest)
        } catch {
            throw invalid
        }
        guard rest.split(separator: ":").first?.count == 2 else { throw invalid }
        let local = date.dayNumber * 86_400 + time.secondsAfterMidnight
        let instant = local - offsetSeconds
        // The local date is within years 1 … 9999; an offset may still carry the instant past either end,
        // where `format` could not write it back.
        // `format` writes milliseconds, rounded: the last half millisecond of 9999 would round into 10000.
        guard instant >= Self.earliest && (instant < Self.latest || instant == Self.latest && fraction < 0.9995) else {
            throw ValueError("\"\(text)\" lies outside the years 0001 … 9999 in UTC")
        }
        return Date(timeIntervalSince1970: TimeInterval(instant) + fraction)
    }

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, in seconds since 1970.
    static let earliest = -62_135_596_800
    static let latest = 253_402_300_799

    /// `YYYY-MM-DDTHH:MM:SS±HH:MM` in `zone`'s offset at that instant (milliseconds shown when not zero).
    public static func format(_ date: Date, in zone: TimeZoneRules) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = Int(seconds.rounded(.down))
        var millis = Int(((seconds - Double(whole)) * 1000).rounded())
        var base = whole
        if millis == 1000 {
            base += 1
            millis = 0
        }
        let offset = zone.offset(at: base)
        let local = base + offset
        let day = LocalDate(dayNumber: floorDivide(local, 86_400))
        let secondOfDay = local - day.dayNumber * 86_400
        var text = "\(day)T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if millis != 0 { text += ".\(pad(millis, 3))" }
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        text += "\(sign)\(pad(magnitude / 3600, 2)):\(pad(magnitude / 60 % 60, 2))"
        if magnitude % 60 != 0 { text += ":\(pad(magnitude % 60, 2))" }
        return text
    }
}
