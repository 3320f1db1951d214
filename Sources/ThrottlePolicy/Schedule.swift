import Foundation

/// The schedule engine: for any instant, which bandwidth a policy allows, and when that changes.
///
/// A pure function of the instant and the policy (its zone included): no clock is read. Work windows are
/// computed per local day from the zone's wall clock with the gap/repeat rules of ``WallClock``; the gaps
/// between them are non-work windows. Touching work windows (for example `00:00`–`24:00` on consecutive
/// days) are one window.
public struct Schedule: Sendable {
    /// The policy this schedule follows.
    public let policy: Policy
    let clock: WallClock
    let exceptionDays: Set<Int>
    /// The first and last exception day: beyond them the weekly pattern repeats, so searches stop a week past.
    let firstExceptionDay: Int?
    let lastExceptionDay: Int?
    /// What work hours and non-work hours allow; fixed by the policy, so computed once.
    let workAllowance: Allowance
    let nonWorkAllowance: Allowance

    /// The schedule of `policy` (cheap: work windows are computed when asked for).
    public init(policy: Policy) {
        self.policy = policy
        clock = WallClock(zone: policy.timeZone)
        let days = Set((policy.schedule?.exceptionDates ?? []).map(\.dayNumber))
        exceptionDays = days
        firstExceptionDay = days.min()
        lastExceptionDay = days.max()
        workAllowance = Allowance(kind: .workHours, bandwidth: policy.schedule?.workHourBandwidth ?? .unlimited,
                                  download: policy.schedule?.workHourDownloadBandwidth)
        nonWorkAllowance = Allowance(kind: .nonWorkHours, bandwidth: policy.schedule?.nonWorkHourBandwidth ?? .unlimited,
                                     download: policy.schedule?.nonWorkHourDownloadBandwidth)
    }

    /// A work window: `[start, end)` in seconds since 1970 UTC, for the local day it starts on.
    struct Interval: Equatable {
        var start: Int
        var end: Int
    }

    /// The work window that starts on local day `day`, or `nil` (non-work day, exception date, or a window
    /// that daylight saving shrank to nothing).
    func workInterval(startingOn day: Int) -> Interval? {
        guard let schedule = policy.schedule,
            schedule.workDays.contains(LocalDate(dayNumber: day).weekday),
            !exceptionDays.contains(day)
        else { return nil }
        let hours = schedule.workHours
        let dayStart = day * WallClock.secondsPerDay
        let endDay = hours.isOvernight ? dayStart + WallClock.secondsPerDay : dayStart
        let start = clock.instant(ofLocal: dayStart + hours.start.secondsAfterMidnight)
        let end = clock.instant(ofLocal: endDay + hours.end.secondsAfterMidnight)
        return end > start ? Interval(start: start, end: end) : nil
    }

    static let unthrottled = Allowance(kind: .unthrottled, bandwidth: .unlimited)

    /// The bandwidth allowed at `instant`, and whether it is a work-hours, non-work-hours or unthrottled one.
    public func bandwidth(at instant: Date) -> Allowance {
        guard policy.throttling, policy.schedule != nil else { return Self.unthrottled }
        let seconds = instant.timeIntervalSince1970
        let day = clock.localDay(at: seconds)
        for candidate in [day, day - 1, day + 1] {
            if let interval = workInterval(startingOn: candidate), interval.contains(seconds) {
                return workAllowance
            }
        }
        return nonWorkAllowance
    }

    /// The whole window in force at `instant`, with its true start and end (not clipped).
    public func window(at instant: Date) -> Window {
        guard policy.throttling, policy.schedule != nil else {
            return Window(allowance: Self.unthrottled, start: nil, end: nil)
        }
        let seconds = instant.timeIntervalSince1970
        let day = clock.localDay(at: seconds)
        for candidate in [day, day - 1, day + 1] {
            if let interval = workInterval(startingOn: candidate), interval.contains(seconds) {
                let start = chainStart(from: interval, day: candidate)
                let end = chainEnd(from: interval, day: candidate)
                return Window(allowance: workAllowance, start: start.map(date), end: end.map(date))
            }
        }
        let start = lastWorkEnd(atOrBefore: seconds, fromDay: day + 1)
        let end = firstWorkStart(after: seconds, fromDay: day - 1)
        return Window(allowance: nonWorkAllowance, start: start.map(date), end: end.map(date))
    }

    /// The first instant after `instant` at which the allowed bandwidth changes, or `nil` when it never does.
    public func nextTransition(after instant: Date) -> Date? {
        window(at: instant).end
    }

    private func date(_ seconds: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }
}

extension Schedule.Interval {
    func contains(_ seconds: TimeInterval) -> Bool {
        TimeInterval(start) <= seconds && seconds < TimeInterval(end)
    }
}
