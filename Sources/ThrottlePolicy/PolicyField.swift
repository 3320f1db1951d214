/// The settings of a policy, with their names in policy files and on the command line.
public enum PolicyField: String, CaseIterable, Sendable {
    /// `throttling` / `--no-throttle`.
    case throttling
    /// `work-days` / `--work-days`.
    case workDays
    /// `work-hours.start` / `--start-work-hour`.
    case startWorkHour
    /// `work-hours.end` / `--end-work-hour`.
    case endWorkHour
    /// `work-hour-bandwidth` / `--work-hour-bandwidth`.
    case workHourBandwidth
    /// `non-work-hour-bandwidth` / `--non-work-hour-bandwidth`.
    case nonWorkHourBandwidth
    /// `time-zone` / `--time-zone`.
    case timeZone
    /// `exception-dates` / `--exception-dates`.
    case exceptionDates
    /// `os-profile` / `--os-profile`.
    case osProfile

    /// The key in a policy file (`work-hours.start` for the nested work-hour times).
    public var fileKey: String {
        switch self {
        case .throttling: return "throttling"
        case .workDays: return "work-days"
        case .startWorkHour: return "work-hours.start"
        case .endWorkHour: return "work-hours.end"
        case .workHourBandwidth: return "work-hour-bandwidth"
        case .nonWorkHourBandwidth: return "non-work-hour-bandwidth"
        case .timeZone: return "time-zone"
        case .exceptionDates: return "exception-dates"
        case .osProfile: return "os-profile"
        }
    }

    /// The MARS-style command-line flag.
    public var flag: String {
        switch self {
        case .throttling: return "--no-throttle"
        case .workDays: return "--work-days"
        case .startWorkHour: return "--start-work-hour"
        case .endWorkHour: return "--end-work-hour"
        case .workHourBandwidth: return "--work-hour-bandwidth"
        case .nonWorkHourBandwidth: return "--non-work-hour-bandwidth"
        case .timeZone: return "--time-zone"
        case .exceptionDates: return "--exception-dates"
        case .osProfile: return "--os-profile"
        }
    }

    /// The five settings MARS requires together when throttling is on.
    public static let requiredWhenThrottling: [PolicyField] = [
        .workDays, .startWorkHour, .endWorkHour, .workHourBandwidth, .nonWorkHourBandwidth,
    ]
}
