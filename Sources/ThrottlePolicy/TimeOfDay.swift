/// A wall-clock time in seconds after local midnight, `00:00:00` through `24:00:00`.
public struct TimeOfDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds after midnight, 0…86400 (86400 is `24:00`, allowed only as an end).
    public let secondsAfterMidnight: Int

    /// The end of the day, `24:00`.
    public static let endOfDay = TimeOfDay(uncheckedSeconds: 86_400)
    /// Midnight, `00:00`.
    public static let midnight = TimeOfDay(uncheckedSeconds: 0)

    init(uncheckedSeconds: Int) { secondsAfterMidnight = uncheckedSeconds }

    /// A time from hours, minutes and seconds; `nil` when out of range.
    public init?(hour: Int, minute: Int, second: Int = 0) {
        guard (0...23).contains(hour) || (hour == 24 && minute == 0 && second == 0),
            (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        secondsAfterMidnight = hour * 3600 + minute * 60 + second
    }

    /// Reads `H:MM`, `HH:MM` or `HH:MM:SS`; `24:00` (and `24:00:00`) is the end of the day.
    public init(parsing text: String) throws(ValueError) {
        let trimmed = text.trimmingWhitespace()
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        let shapeIsValid =
            (parts.count == 2 || parts.count == 3)
            && (1...2).contains(parts[0].count)
            && parts.dropFirst().allSatisfy { $0.count == 2 }
            && parts.allSatisfy { $0.allSatisfy(\.isASCIIDigit) }
        guard shapeIsValid else {
            throw ValueError("\"\(text)\" is not a time of day: write H:MM, HH:MM or HH:MM:SS, for example 09:00")
        }
        let numbers = parts.map { Int($0)! }
        guard let time = TimeOfDay(hour: numbers[0], minute: numbers[1], second: parts.count == 3 ? numbers[2] : 0)
        else {
            throw ValueError("\"\(text)\" is out of range: times run from 00:00 to 23:59:59, and 24:00 ends a day")
        }
        self = time
    }

    /// Earlier times sort first.
    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool {
        lhs.secondsAfterMidnight < rhs.secondsAfterMidnight
    }

    /// `HH:MM`, or `HH:MM:SS` when the seconds are not zero.
    public var description: String {
        let hours = secondsAfterMidnight / 3600
        let minutes = secondsAfterMidnight / 60 % 60
        let seconds = secondsAfterMidnight % 60
        return seconds == 0 ? "\(pad(hours, 2)):\(pad(minutes, 2))" : "\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(seconds, 2))"
    }
}

/// The daily work window: from `start` to `end`, on the day it starts.
///
/// `start < end` is a same-day window. `start > end` is an overnight window that belongs to the day it
/// starts (Friday 22:00–06:00 runs Friday 22:00 → Saturday 06:00). `00:00`–`24:00` is the whole day.
public struct WorkHours: Hashable, Sendable, CustomStringConvertible {
    /// When work hours start.
    public let start: TimeOfDay
    /// When they end; earlier than `start` for an overnight window, `24:00` for the end of the day.
    public let end: TimeOfDay

    /// Checks the pair: start before 24:00 and start ≠ end (the whole day is 00:00–24:00).
    public init(start: TimeOfDay, end: TimeOfDay) throws(ValueError) {
        guard start < .endOfDay else {
            throw ValueError(
                "the work hours cannot start at 24:00: a day's window starts between 00:00 and 23:59:59 "
                    + "(24:00 can only end one)")
        }
        guard start != end else {
            throw ValueError(
                "work hours start and end at the same time (\(start)): give a window of some length, "
                    + "or 00:00 to 24:00 for the whole day"
            )
        }
        self.start = start
        self.end = end
    }

    /// True when the window runs past midnight into the next day.
    public var isOvernight: Bool { end < start }

    /// `09:00–18:00`.
    public var description: String { "\(start)–\(end)" }
}
