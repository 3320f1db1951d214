/// A tc handle or class id, `major:minor` (16 bits each, hexadecimal when written).
public struct TrafficControlHandle: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public init(major: UInt16, minor: UInt16) { rawValue = UInt32(major) << 16 | UInt32(minor) }

    public var major: UInt16 { UInt16(rawValue >> 16) }
    public var minor: UInt16 { UInt16(rawValue & 0xFFFF) }

    /// `TC_H_ROOT`: the parent of a root qdisc.
    public static let root = TrafficControlHandle(rawValue: 0xFFFF_FFFF)
    /// `TC_H_INGRESS`: the parent of an ingress (or clsact) qdisc.
    public static let ingressParent = TrafficControlHandle(rawValue: 0xFFFF_FFF1)
    /// The handle an ingress qdisc always has, `ffff:`.
    public static let ingress = TrafficControlHandle(major: 0xFFFF, minor: 0)
    /// `TC_H_UNSPEC`.
    public static let unspecified = TrafficControlHandle(rawValue: 0)

    /// Reads `7470:1`, `7470:`, `root` or `ingress` (hexadecimal, as tc writes them).
    public init?(parsing text: String) {
        switch text {
        case "root": self = .root
        case "ingress": self = .ingressParent
        default:
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let major = UInt16(parts[0], radix: 16) else { return nil }
            let minor = parts[1].isEmpty ? 0 : UInt16(parts[1], radix: 16)
            guard let minor else { return nil }
            self.init(major: major, minor: minor)
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .root: return "root"
        case .ingressParent: return "ingress"
        default:
            let major = String(self.major, radix: 16)
            return minor == 0 ? "\(major):" : "\(major):\(String(minor, radix: 16))"
        }
    }
}
