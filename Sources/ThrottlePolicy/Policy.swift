import Foundation

/// A validated throttling policy: the MARS settings, a time zone and the OS profile it emulates.
///
/// Build one with ``PolicyLoader`` (from a file), ``PolicyDraft`` (from flags or code), or the
/// initializers below; every path runs the same checks.
public struct Policy: Hashable, Sendable {
    /// False is MARS `-NoThrottle`: nothing is limited at any time.
    public let throttling: Bool
    /// The weekly schedule; always present when `throttling` is true.
    public let schedule: WorkSchedule?
    /// The zone whose wall clock the work hours follow.
    public let timeZone: TimeZoneRules
    /// The machine the policy emulates.
    public let osProfile: OSProfile
    /// Free text from the policy file, if any.
    public let note: String?
    /// The traffic to shape (the `traffic` section or the selection flags); `nil` shapes the whole interface.
    public let traffic: TrafficRequest?
    /// `bucket-sizing` (default per-window); `--bucket-sizing` overrides it.
    public let bucketSizing: BucketSizing

    init(
        throttling: Bool, schedule: WorkSchedule?, timeZone: TimeZoneRules, osProfile: OSProfile, note: String?,
        traffic: TrafficRequest? = nil, bucketSizing: BucketSizing = .perWindow
    ) {
        self.bucketSizing = bucketSizing
        self.throttling = throttling
        self.schedule = schedule
        self.timeZone = timeZone
        self.osProfile = osProfile
        self.note = note
        self.traffic = traffic
    }

    /// A throttled policy, checked like a policy file.
    /// - Throws: ``PolicyError`` for rates out of the profile's range or a profile that cannot be throttled.
    public init(
        workDays: Set<Weekday>, workHours: WorkHours, workHourBandwidth: Bandwidth, nonWorkHourBandwidth: Bandwidth,
        timeZone: TimeZoneRules, exceptionDates: Set<LocalDate> = [], osProfile: OSProfile = .linux,
        workHourDownloadBandwidth: Bandwidth? = nil, nonWorkHourDownloadBandwidth: Bandwidth? = nil
    ) throws(PolicyError) {
        var draft = PolicyDraft(documentOrigin: .code)
        draft.throttling = .init(true)
        draft.workDays = .init(workDays)
        draft.startWorkHour = .init(workHours.start)
        draft.endWorkHour = .init(workHours.end)
        draft.workHourBandwidth = .init(workHourBandwidth)
        draft.nonWorkHourBandwidth = .init(nonWorkHourBandwidth)
        draft.workHourDownloadBandwidth = workHourDownloadBandwidth.map { .init($0) }
        draft.nonWorkHourDownloadBandwidth = nonWorkHourDownloadBandwidth.map { .init($0) }
        draft.timeZone = .init(timeZone)
        draft.exceptionDates = .init(exceptionDates)
        draft.osProfile = .init(osProfile)
        self = try draft.build()
    }

    /// MARS `-NoThrottle`: a policy that never limits.
    public static func noThrottle(timeZone: TimeZoneRules, osProfile: OSProfile = .linux) -> Policy {
        Policy(throttling: false, schedule: nil, timeZone: timeZone, osProfile: osProfile, note: nil)
    }

    /// One line for people: `throttled Mon, Tue 09:00–18:00 at 512 Kibit/s, otherwise 2 Mibit/s (…)`.
    public var summary: String {
        let context = "time zone \(timeZone.name), OS profile \(osProfile.rawValue)"
        guard throttling, let schedule else { return "not throttled (\(context))" }
        func both(_ up: Bandwidth, _ down: Bandwidth) -> String { up == down ? "\(up)" : "\(up) up/\(down) down" }
        if schedule.workDays.isEmpty {
            // No work hours ever start, so the work-hour rate never applies: say what does.
            return "throttled, no work days: "
                + both(schedule.nonWorkHourBandwidth, schedule.nonWorkHourDownloadBandwidth) + " all week"
                + exceptionText(schedule) + " (\(context))"
        }
        let text =
            "throttled \(Weekday.describe(schedule.workDays)) \(schedule.workHours) at "
            + "\(both(schedule.workHourBandwidth, schedule.workHourDownloadBandwidth)), otherwise "
            + both(schedule.nonWorkHourBandwidth, schedule.nonWorkHourDownloadBandwidth)
        return text + exceptionText(schedule) + " (\(context))"
    }

    private func exceptionText(_ schedule: WorkSchedule) -> String {
        guard !schedule.exceptionDates.isEmpty else { return "" }
        let count = schedule.exceptionDates.count
        return "; \(count) exception date" + (count == 1 ? "" : "s")
    }
}

/// The weekly work schedule of a throttled policy.
public struct WorkSchedule: Hashable, Sendable {
    /// The days on which work hours start. Other days get the non-work bandwidth all day.
    public let workDays: Set<Weekday>
    /// The daily window; an overnight window belongs to the day it starts.
    public let workHours: WorkHours
    /// The bandwidth inside work hours.
    public let workHourBandwidth: Bandwidth
    /// The bandwidth outside work hours and all day on non-work days.
    public let nonWorkHourBandwidth: Bandwidth
    /// Download (ingress) bandwidths; the same as the upload ones unless the policy sets them apart.
    public let workHourDownloadBandwidth: Bandwidth
    /// The download bandwidth outside work hours (see `workHourDownloadBandwidth`).
    public let nonWorkHourDownloadBandwidth: Bandwidth
    /// Dates treated as non-work days (holidays). A window that started the day before runs to its end.
    public let exceptionDates: Set<LocalDate>
}
