/// An address family: IPv4 (32 bits) or IPv6 (128 bits).
public enum AddressFamily: String, Hashable, Sendable, Comparable, CaseIterable {
    case ipv4, ipv6

    /// The address width in bits.
    public var bitWidth: Int { self == .ipv4 ? 32 : 128 }

    public static func < (a: AddressFamily, b: AddressFamily) -> Bool { a == .ipv4 && b == .ipv6 }
}

/// A 128-bit value kept as two halves, most significant first. IPv4 addresses sit left-aligned in the top
/// 32 bits, so that "the first `length` bits" means the same thing in both families.
public struct AddressBits: Hashable, Sendable, Comparable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public static let zero = AddressBits(high: 0, low: 0)

    /// The first `length` bits set, the rest clear.
    public static func mask(length: Int) -> AddressBits {
        switch length {
        case ..<1: return .zero
        case 1..<64: return AddressBits(high: ~0 << UInt64(64 - length), low: 0)
        case 64: return AddressBits(high: ~0, low: 0)
        case 65..<128: return AddressBits(high: ~0, low: ~0 << UInt64(128 - length))
        default: return AddressBits(high: ~0, low: ~0)
        }
    }

    /// Only bit `index` (0 = the most significant) set.
    public static func bit(_ index: Int) -> AddressBits {
        index < 64 ? AddressBits(high: 1 << UInt64(63 - index), low: 0) : AddressBits(high: 0, low: 1 << UInt64(127 - index))
    }

    public static func & (a: AddressBits, b: AddressBits) -> AddressBits { AddressBits(high: a.high & b.high, low: a.low & b.low) }
    public static func | (a: AddressBits, b: AddressBits) -> AddressBits { AddressBits(high: a.high | b.high, low: a.low | b.low) }
    public static prefix func ~ (a: AddressBits) -> AddressBits { AddressBits(high: ~a.high, low: ~a.low) }
    public static func < (a: AddressBits, b: AddressBits) -> Bool { (a.high, a.low) < (b.high, b.low) }

    /// The byte at `index` (0 = the most significant).
    public func byte(_ index: Int) -> UInt8 {
        index < 8 ? UInt8(truncatingIfNeeded: high >> UInt64(56 - 8 * index))
            : UInt8(truncatingIfNeeded: low >> UInt64(56 - 8 * (index - 8)))
    }

    /// The 32-bit word at `index` (0 … 3, most significant first).
    public func word(_ index: Int) -> UInt32 {
        let half = index < 2 ? high : low
        return UInt32(truncatingIfNeeded: index % 2 == 0 ? half >> 32 : half)
    }
}

/// A network prefix such as `203.0.113.0/24` or `2001:db8::/32`, with no host bits set.
public struct IPPrefix: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let family: AddressFamily
    /// The network address, left-aligned (see ``AddressBits``).
    public let address: AddressBits
    /// The prefix length, 0 … 32 (IPv4) or 0 … 128 (IPv6).
    public let length: Int

    /// A prefix from its parts; host bits beyond `length` are cleared.
    public init(family: AddressFamily, address: AddressBits, length: Int) {
        precondition(length >= 0 && length <= family.bitWidth, "prefix length out of range")
        self.family = family
        self.address = address & .mask(length: length)
        self.length = length
    }

    /// Parses `text` (`A.B.C.D/N`, `X:X::X/N`, or a bare address, taken as /32 or /128).
    /// - Throws: ``PrefixError`` naming what is wrong; host bits set are an error that suggests the network.
    public init(_ text: Substring) throws(PrefixError) {
        self = try PrefixParser.parse(text)
    }

    public init(_ text: String) throws(PrefixError) { try self.init(Substring(text)) }

    /// True when every address of `other` lies in this prefix.
    public func contains(_ other: IPPrefix) -> Bool {
        family == other.family && length <= other.length && (other.address & .mask(length: length)) == address
    }

    /// The prefix one bit shorter, which holds this one and its sibling.
    public var parent: IPPrefix? { length == 0 ? nil : IPPrefix(family: family, address: address, length: length - 1) }

    /// The other half of ``parent``.
    public var sibling: IPPrefix? {
        guard length > 0 else { return nil }
        let flipped = AddressBits.bit(length - 1)
        return IPPrefix(family: family, address: AddressBits(high: address.high ^ flipped.high, low: address.low ^ flipped.low),
                        length: length)
    }

    /// Family first, then address, then the shorter prefix first.
    public static func < (a: IPPrefix, b: IPPrefix) -> Bool {
        (a.family, a.address, a.length) < (b.family, b.address, b.length)
    }

    /// The canonical text: dotted quad for IPv4, RFC 5952 for IPv6.
    /// For an IPv6 prefix inside `::ffff:0:0/96` (IPv4-mapped addresses, which sockets show but packets never
    /// carry), the IPv4 prefix it stands for; nil otherwise.
    public var ipv4Mapped: IPPrefix? {
        guard family == .ipv6, length >= 96, address.high == 0, address.low >> 32 == 0xFFFF else { return nil }
        return IPPrefix(family: .ipv4, address: AddressBits(high: (address.low & 0xFFFF_FFFF) << 32, low: 0),
                        length: length - 96)
    }

    public var description: String { AddressText.format(address, family: family) + "/\(length)" }
}

/// Why a prefix could not be read.
public struct PrefixError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
