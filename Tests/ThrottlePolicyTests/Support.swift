import Foundation
import ThrottlePolicy

/// Builds a throttled policy from readable strings; test inputs are known to be valid.
func makePolicy(
    days: String, from start: String, to end: String, work: String = "1mbit", nonWork: String = "10mbit",
    zone: String, exceptions: [String] = []
) throws -> Policy {
    try Policy(
        workDays: Weekday.parseList(days),
        workHours: WorkHours(start: TimeOfDay(parsing: start), end: TimeOfDay(parsing: end)),
        workHourBandwidth: Bandwidth(parsing: work), nonWorkHourBandwidth: Bandwidth(parsing: nonWork),
        timeZone: TimeZoneName.parse(zone),
        exceptionDates: Set(exceptions.map { try LocalDate(parsing: $0) }))
}

/// An instant from ISO-8601 text (tests write known-good literals).
func at(_ text: String) throws -> Date { try ISO8601.parse(text) }

/// A window's start and end as UTC ISO-8601 text, for compact expectations.
func utc(_ window: Window) -> String {
    let zone = TimeZoneRules.utc
    return "\(window.start.map { ISO8601.format($0, in: zone) } ?? "nil") → "
        + "\(window.end.map { ISO8601.format($0, in: zone) } ?? "nil")"
}
