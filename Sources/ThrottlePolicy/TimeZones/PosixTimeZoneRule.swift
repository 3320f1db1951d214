/// A POSIX `TZ` rule, as the footer of a TZif file carries it (RFC 8536 §3.3): a standard time and,
/// optionally, a daylight-saving time with the day and time it starts and ends every year.
///
/// A TZif file lists transitions up to some year (2037 for most zones); the footer rule answers for every
/// instant after the last one.
struct PosixTimeZoneRule: Hashable, Sendable {
    /// The day of the year on which a change happens.
    enum Day: Hashable, Sendable {
        /// `Jn`: 1…365, where day 60 is always March 1 (February 29 is never counted).
        case julian(Int)
        /// `n`: 0…365, counting February 29 in leap years.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (1…4, or 5 for the last) of month `m`.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    /// A change from one time type to the other: a day, and a local time that may be negative or past 24 h
    /// (−167 h … 167 h, RFC 8536 §3.3.1), measured in the time type in force before the change.
    struct Change: Hashable, Sendable {
        var day: Day
        var secondsAfterMidnight: Int
    }

    /// Daylight-saving time and the yearly changes into it (`start`) and out of it (`end`).
    struct DaylightSaving: Hashable, Sendable {
        var type: LocalTimeType
        var start: Change
        var end: Change
    }

    let standard: LocalTimeType
    let daylightSaving: DaylightSaving?

    /// The time type in force at `instant` (seconds since 1970 UTC).
    func localTimeType(at instant: Int) -> LocalTimeType {
        guard let daylightSaving else { return standard }
        let year = LocalDate(dayNumber: floorDivide(instant + standard.offset, 86_400)).components.year
        // The latest change at or before the instant, among the neighbouring years' changes: a start or end
        // may fall in the year before or after its own (times past 24 h, southern-hemisphere rules).
        var latest: (instant: Int, isDaylightSaving: Bool)?
        for candidate in (year - 1)...(year + 1) {
            let start = daylightSaving.start.instant(in: candidate, offsetBefore: standard.offset)
            let end = daylightSaving.end.instant(in: candidate, offsetBefore: daylightSaving.type.offset)
            // Generated in order, so on a tie the later-listed change wins (an all-year rule's end at the
            // year's close and the next start at the same instant leave daylight saving on).
            for (at, isDaylightSaving) in [(start, true), (end, false)] where at <= instant {
                if latest.map({ at >= $0.instant }) ?? true { latest = (at, isDaylightSaving) }
            }
        }
        return latest?.isDaylightSaving == true ? daylightSaving.type : standard
    }
}

extension PosixTimeZoneRule.Change {
    /// The instant of this change in `year`, whose local time is measured with `offsetBefore`.
    func instant(in year: Int, offsetBefore: Int) -> Int {
        (day.dayNumber(in: year) * 86_400 + secondsAfterMidnight) - offsetBefore
    }
}

extension PosixTimeZoneRule.Day {
    /// Days since 1970-01-01 of this day in `year`.
    func dayNumber(in year: Int) -> Int {
        let january1 = LocalDate(year: year, month: 1, day: 1)!.dayNumber
        switch self {
        case .julian(let day):
            let isLeap = LocalDate.daysIn(month: 2, year: year) == 29
            return january1 + day - 1 + (isLeap && day >= 60 ? 1 : 0)
        case .zeroBased(let day):
            return january1 + day
        case .monthWeekDay(let month, let week, let weekday):
            let first = LocalDate(year: year, month: month, day: 1)!.dayNumber
            // 1970-01-01 was a Thursday (4, counting Sunday as 0).
            let firstWeekday = ((first % 7) + 7 + 4) % 7
            var day = first + (weekday - firstWeekday + 7) % 7 + 7 * (week - 1)
            let length = LocalDate.daysIn(month: month, year: year)
            while day >= first + length { day -= 7 }
            return day
        }
    }
}
