import Foundation

/// A policy under construction: every setting optional, each with where it came from.
///
/// A file loads into a draft, command-line flags overlay it, and ``build()`` checks the result as a whole
/// (required settings, work-hour pairs, rate ranges, OS profile) with each problem pointing at its origin.
public struct PolicyDraft: Sendable {
    /// A value and its origin.
    public struct Setting<Value: Sendable>: Sendable {
        /// The value.
        public var value: Value
        /// Where it was set.
        public var origin: ValueOrigin

        /// `value`, set at `origin`.
        public init(_ value: Value, origin: ValueOrigin = .code) {
            self.value = value
            self.origin = origin
        }
    }

    /// `throttling` (false is MARS `-NoThrottle`).
    public var throttling: Setting<Bool>?
    /// `work-days`.
    public var workDays: Setting<Set<Weekday>>?
    /// `work-hours.start`.
    public var startWorkHour: Setting<TimeOfDay>?
    /// `work-hours.end`.
    public var endWorkHour: Setting<TimeOfDay>?
    /// `work-hour-bandwidth` (upload, and download unless set apart).
    public var workHourBandwidth: Setting<Bandwidth>?
    /// `non-work-hour-bandwidth`.
    public var nonWorkHourBandwidth: Setting<Bandwidth>?
    /// Download rates, when the policy sets them apart from the upload ones.
    public var workHourDownloadBandwidth: Setting<Bandwidth>?
    /// The download rate outside work hours, when set apart.
    public var nonWorkHourDownloadBandwidth: Setting<Bandwidth>?
    /// `time-zone`.
    public var timeZone: Setting<TimeZoneRules>?
    /// `exception-dates`.
    public var exceptionDates: Setting<Set<LocalDate>>?
    /// `os-profile`.
    public var osProfile: Setting<OSProfile>?
    /// `bucket-sizing`.
    public var bucketSizing: Setting<BucketSizing>?
    /// `description`: free text.
    public var note: String?
    /// The traffic to shape; `nil` for the whole interface.
    public var traffic: TrafficDraft?
    /// Where to report a missing setting: the top of the file, or `.code`/a flag for other sources.
    public var documentOrigin: ValueOrigin
    /// True when the draft came from flags only, so missing settings are named as flags.
    public var namesSettingsAsFlags: Bool

    /// An empty draft; `documentOrigin` is where a missing setting is reported.
    public init(documentOrigin: ValueOrigin, namesSettingsAsFlags: Bool = false) {
        self.documentOrigin = documentOrigin
        self.namesSettingsAsFlags = namesSettingsAsFlags
    }

    /// This draft with every setting that `overrides` has replaced by its value.
    public func overlaid(with overrides: PolicyDraft) -> PolicyDraft {
        var merged = self
        merged.throttling = overrides.throttling ?? throttling
        merged.workDays = overrides.workDays ?? workDays
        merged.startWorkHour = overrides.startWorkHour ?? startWorkHour
        merged.endWorkHour = overrides.endWorkHour ?? endWorkHour
        // A bandwidth flag sets both directions unless it names them apart.
        if let work = overrides.workHourBandwidth {
            merged.workHourBandwidth = work
            merged.workHourDownloadBandwidth = overrides.workHourDownloadBandwidth
        }
        if let nonWork = overrides.nonWorkHourBandwidth {
            merged.nonWorkHourBandwidth = nonWork
            merged.nonWorkHourDownloadBandwidth = overrides.nonWorkHourDownloadBandwidth
        }
        merged.timeZone = overrides.timeZone ?? timeZone
        merged.exceptionDates = overrides.exceptionDates ?? exceptionDates
        merged.osProfile = overrides.osProfile ?? osProfile
        merged.bucketSizing = overrides.bucketSizing ?? bucketSizing
        merged.note = overrides.note ?? note
        merged.traffic = TrafficDraft.overlay(traffic, with: overrides.traffic)
        return merged
    }

    /// The validated policy, or every problem at once.
    ///
    /// Defaults: throttling on, the system's time zone, the `linux` profile, no exception dates.
    public func build() throws(PolicyError) -> Policy {
        var problems: [PolicyDiagnostic] = []
        let throttles = throttling?.value ?? true
        let profile = osProfile?.value ?? .linux

        if throttles {
            let missing = PolicyField.requiredWhenThrottling.filter { !isSet($0) }
            if !missing.isEmpty {
                problems.append(PolicyDiagnostic(origin: documentOrigin, message: missingMessage(missing)))
            }
        }
        var hours: WorkHours?
        if let start = startWorkHour, let end = endWorkHour {
            do throws(ValueError) {
                hours = try WorkHours(start: start.value, end: end.value)
            } catch {
                // A start of 24:00 is the start's fault; every other pairing problem shows at the end.
                let origin = start.value == .endOfDay ? start.origin : end.origin
                problems.append(PolicyDiagnostic(error, at: origin))
            }
        }
        // Each rate is named with its window and, when the directions are set apart, its direction.
        let bandwidths: [(String, Setting<Bandwidth>?)] = [
            ("work-hour", workHourBandwidth), ("non-work-hour", nonWorkHourBandwidth),
        ].flatMap { name, upload -> [(String, Setting<Bandwidth>?)] in
            let download = name == "work-hour" ? workHourDownloadBandwidth : nonWorkHourDownloadBandwidth
            guard download != nil else { return [("the \(name) bandwidth", upload)] }
            return [("the \(name) upload bandwidth", upload), ("the \(name) download bandwidth", download)]
        }
        for (name, setting) in bandwidths {
            guard let setting else { continue }
            do throws(ValueError) {
                try profile.check(setting.value, setting: name)
            } catch {
                problems.append(PolicyDiagnostic(error, at: setting.origin))
            }
        }
        if throttles && !profile.supportsThrottling {
            problems.append(
                PolicyDiagnostic(
                    origin: osProfile?.origin ?? documentOrigin, message: profile.cannotThrottleMessage,
                    category: .profileCannotThrottle))
        }
        let (trafficRequest, trafficProblems) = traffic?.build() ?? (nil, [])
        problems += trafficProblems
        guard problems.isEmpty else { throw PolicyError(PolicyDiagnostic.inPlaceOrder(problems)) }

        var schedule: WorkSchedule?
        if let days = workDays, let hours, let work = workHourBandwidth, let nonWork = nonWorkHourBandwidth {
            schedule = WorkSchedule(
                workDays: days.value, workHours: hours, workHourBandwidth: work.value,
                nonWorkHourBandwidth: nonWork.value,
                workHourDownloadBandwidth: workHourDownloadBandwidth?.value ?? work.value,
                nonWorkHourDownloadBandwidth: nonWorkHourDownloadBandwidth?.value ?? nonWork.value,
                exceptionDates: exceptionDates?.value ?? [])
        }
        return Policy(
            throttling: throttles, schedule: schedule, timeZone: timeZone?.value ?? .current,
            osProfile: profile, note: note, traffic: trafficRequest, bucketSizing: bucketSizing?.value ?? .perWindow)
    }

    private func isSet(_ field: PolicyField) -> Bool {
        switch field {
        case .throttling: return throttling != nil
        case .workDays: return workDays != nil
        case .startWorkHour: return startWorkHour != nil
        case .endWorkHour: return endWorkHour != nil
        case .workHourBandwidth: return workHourBandwidth != nil
        case .nonWorkHourBandwidth: return nonWorkHourBandwidth != nil
        case .timeZone: return timeZone != nil
        case .exceptionDates: return exceptionDates != nil
        case .osProfile: return osProfile != nil
        }
    }

    private func missingMessage(_ missing: [PolicyField]) -> String {
        let names = missing.map { namesSettingsAsFlags ? $0.flag : $0.fileKey }
        let all = PolicyField.requiredWhenThrottling.map { namesSettingsAsFlags ? $0.flag : $0.fileKey }
        let off = namesSettingsAsFlags ? "--no-throttle" : "throttling: false"
        return "missing \(names.joined(separator: ", ")): a throttled policy needs all of "
            + "\(all.joined(separator: ", ")) (the five MARS settings), or \(off)"
    }
}
