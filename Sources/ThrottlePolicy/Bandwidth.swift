/// A rate in bits per second.
public struct BitRate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Bits per second.
    public let bitsPerSecond: UInt64

    /// A rate of `bitsPerSecond` bits per second (not range-checked: policies check ranges).
    public init(bitsPerSecond: UInt64) { self.bitsPerSecond = bitsPerSecond }

    /// Whole bytes per second, rounded down as iproute2 does when it converts a bit rate.
    public var bytesPerSecond: UInt64 { bitsPerSecond / 8 }

    /// Slower rates sort first.
    public static func < (lhs: BitRate, rhs: BitRate) -> Bool { lhs.bitsPerSecond < rhs.bitsPerSecond }

    /// A readable form with the unit that needs the fewest digits: `512 Kibit/s`, `1.5 Mbit/s`.
    public var description: String { RateFormatter.humanReadable(bitsPerSecond) }
}

/// What a window allows: a bit rate, or no limit at all.
public enum Bandwidth: Hashable, Sendable, CustomStringConvertible {
    /// At most this rate.
    case limited(BitRate)
    /// No limit.
    case unlimited

    /// A limited bandwidth of `bitsPerSecond`.
    public static func bitsPerSecond(_ value: UInt64) -> Bandwidth { .limited(BitRate(bitsPerSecond: value)) }

    /// The rate in bits per second, or `nil` when unlimited.
    public var bitsPerSecond: UInt64? {
        if case .limited(let rate) = self { return rate.bitsPerSecond }
        return nil
    }

    /// `unlimited`, or the rate for people (`512 Kibit/s`).
    public var description: String {
        switch self {
        case .limited(let rate): return rate.description
        case .unlimited: return "unlimited"
        }
    }

    /// Reads `RATE` (both directions) or `UPLOAD:DOWNLOAD`, as the command-line flags take them.
    public static func parseDirections(_ text: String) throws(ValueError) -> (upload: Bandwidth, download: Bandwidth?) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (try Bandwidth(parsing: text), nil)
        case 2: return (try Bandwidth(parsing: String(parts[0])), try Bandwidth(parsing: String(parts[1])))
        default: throw ValueError("\"\(text)\" is not RATE or UPLOAD:DOWNLOAD, for example 20mbit or 20mbit:100mbit")
        }
    }

    /// Reads a bandwidth. See ``RateParser`` for the accepted spellings; `unlimited` means no limit.
    public init(parsing text: String) throws(ValueError) {
        if text.trimmingWhitespace().lowercased() == "unlimited" {
            self = .unlimited
        } else {
            self = .limited(BitRate(bitsPerSecond: try RateParser.bitsPerSecond(text)))
        }
    }
}
