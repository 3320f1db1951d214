import TokenBucket

/// The operating system whose MARS behaviour a policy emulates.
///
/// Windows profiles copy MARS exactly: 512 Kibit/s … 1,023 Mibit/s and no unlimited rate; the versions
/// whose QoS MARS cannot use (Windows Server 2008 R2, Windows Server 2008 SP2, Windows 7) cannot be
/// throttled at all. The `linux` profile is this tool's own.
public enum OSProfile: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// Linux, as throttlectl runs it: every MARS rate range, throttling allowed.
    case linux
    /// Windows Server 2008 R2.
    case windowsServer2008R2 = "windows-server-2008-r2"
    /// Windows Server 2008 SP2.
    case windowsServer2008SP2 = "windows-server-2008-sp2"
    /// Windows Server 2012.
    case windowsServer2012 = "windows-server-2012"
    /// Windows Server 2012 R2.
    case windowsServer2012R2 = "windows-server-2012-r2"
    /// Windows Server 2016.
    case windowsServer2016 = "windows-server-2016"
    /// Windows Server 2019.
    case windowsServer2019 = "windows-server-2019"
    /// Windows Server 2022.
    case windowsServer2022 = "windows-server-2022"
    /// Windows Server 2025.
    case windowsServer2025 = "windows-server-2025"
    /// Windows 7 (MARS cannot throttle it: exit 69).
    case windows7 = "windows-7"
    /// Windows 8.
    case windows8 = "windows-8"
    /// Windows 8.1.
    case windows8_1 = "windows-8.1"
    /// Windows 10.
    case windows10 = "windows-10"
    /// Windows 11.
    case windows11 = "windows-11"

    /// The smallest rate MARS accepts: 512 Kibit/s (the cmdlet's `512*1024`).
    public static let marsMinimum: UInt64 = 524_288
    /// The largest rate MARS accepts: 1,023 Mibit/s.
    public static let marsMaximum: UInt64 = 1_072_693_248
    /// The smallest rate the `linux` profile accepts: 8 kbit/s, one byte per millisecond.
    public static let linuxMinimum: UInt64 = ShapingLimits.rates.lowerBound
    /// The largest rate the `linux` profile accepts: 600 Gbit/s, the most TBF's 32-bit queue limit can hold
    /// 55 ms of (see ``ShapingLimits``), so that every policy `validate` accepts can be applied.
    public static let linuxMaximum: UInt64 = ShapingLimits.rates.upperBound

    /// The name as the product would print it: `Windows Server 2012 R2`, `Linux`.
    public var displayName: String {
        switch self {
        case .linux: return "Linux"
        case .windowsServer2008R2: return "Windows Server 2008 R2"
        case .windowsServer2008SP2: return "Windows Server 2008 SP2"
        case .windowsServer2012: return "Windows Server 2012"
        case .windowsServer2012R2: return "Windows Server 2012 R2"
        case .windowsServer2016: return "Windows Server 2016"
        case .windowsServer2019: return "Windows Server 2019"
        case .windowsServer2022: return "Windows Server 2022"
        case .windowsServer2025: return "Windows Server 2025"
        case .windows7: return "Windows 7"
        case .windows8: return "Windows 8"
        case .windows8_1: return "Windows 8.1"
        case .windows10: return "Windows 10"
        case .windows11: return "Windows 11"
        }
    }

    /// The profile's name as policy files spell it (`windows-server-2019`).
    public var description: String { rawValue }

    /// False for the versions where MARS network throttling is not available.
    public var supportsThrottling: Bool {
        switch self {
        case .windowsServer2008R2, .windowsServer2008SP2, .windows7: return false
        default: return true
        }
    }

    /// The rates (bits per second, inclusive) a policy for this profile may name.
    public var allowedRates: ClosedRange<UInt64> {
        self == .linux ? Self.linuxMinimum...Self.linuxMaximum : Self.marsMinimum...Self.marsMaximum
    }

    /// Whether `unlimited` may stand for a window's bandwidth (MARS has no such setting).
    public var allowsUnlimited: Bool { self == .linux }

    /// Reads a profile name (case-insensitive); unknown names list the known ones.
    public init(parsing text: String) throws(ValueError) {
        guard let profile = OSProfile(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw ValueError(
                "unknown OS profile \"\(text)\": known profiles are "
                    + OSProfile.allCases.map(\.rawValue).joined(separator: ", ")
            )
        }
        self = profile
    }

    /// The refusal for a profile that cannot be throttled.
    var cannotThrottleMessage: String {
        "network throttling is not available for machines running Windows Server 2008 R2, Windows Server 2008 SP2 "
            + "or Windows 7 (OS profile \"\(rawValue)\", \(displayName)); set throttling to false, "
            + "or choose the profile of a machine that can be throttled"
    }

    /// Checks that `bandwidth` is allowed under this profile; `setting` names it in messages
    /// (`the work-hour bandwidth`).
    func check(_ bandwidth: Bandwidth, setting: String = "the bandwidth") throws(ValueError) {
        switch bandwidth {
        case .unlimited:
            guard allowsUnlimited else {
                throw ValueError(
                    "\(setting): \"unlimited\" is not a MARS setting (OS profile \(rawValue)): give a rate from 524288 "
                        + "(512kibit) to 1072693248 (1023mibit) bit/s, or turn throttling off"
                )
            }
        case .limited(let rate):
            let range = allowedRates
            guard range.contains(rate.bitsPerSecond) else {
                let bounds =
                    self == .linux
                    ? "from \(ShapingLimits.ratesText), the most TBF's 32-bit fields can shape"
                    : "from 524288 (512kibit) to 1072693248 (1023mibit) bit/s, as MARS allows"
                throw ValueError(
                    "\(setting), \(rate.bitsPerSecond) bit/s, is out of range for OS profile \(rawValue): rates run "
                        + bounds)
            }
        }
    }
}
