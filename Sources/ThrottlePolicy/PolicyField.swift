/// The settings of a policy, with their names in policy files and on the command line.
public enum PolicyField: String, CaseIterable, Sendable {
    case throttling
    case workDays
    case startWorkHour
    case endWorkHour
    case workHourBandwidth
    case nonWorkHourBandwidth
    case timeZone
    case exceptionDates
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
