internal import CNetlink

/// The attributes of a netlink message or of a nested attribute: a view of the received message's bytes.
///
/// Lookups walk the attribute headers (`nla_ok`/`nla_next` rules: a header of 4 bytes whose length covers
/// it and fits what is left, the next at the 4-byte aligned end); a nested attribute is a view of the same
/// bytes. Nothing is copied but what a decoder keeps (a `[UInt8]` from the subscript, a string), so a dump
/// of thousands of filters decodes without an allocation per message for its attributes. When a type
/// repeats, the last one counts (as the kernel's `nla_parse` does).
///
/// The view is only valid while the message is: decoders use it inside the receive callback and keep
/// none of it.
struct NetlinkAttributes {
    private let bytes: UnsafeRawBufferPointer

    /// A view of `length` bytes of attributes at `start`.
    init(start: UnsafeMutablePointer<nlattr>?, length: Int32) {
        guard let start, length > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(start), count: Int(length))
    }

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Calls `body` with each attribute's type and payload, in order.
    private func forEach(_ body: (UInt16, Range<Int>) -> Void) {
        var at = 0
        while bytes.count - at >= 4 {
            // struct nlattr: nla_len, nla_type (host order); the type without NLA_F_NESTED / NLA_F_NET_BYTEORDER.
            let length = Int(bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self))
            let type = bytes.loadUnaligned(fromByteOffset: at + 2, as: UInt16.self) & 0x3FFF
            guard length >= 4, length <= bytes.count - at else { return }
            body(type, (at + 4)..<(at + length))
            at += (length + 3) & ~3
        }
    }

    private func range(_ type: UInt16) -> Range<Int>? {
        var found: Range<Int>?
        forEach { if $0 == type { found = $1 } }
        return found
    }

    /// The attribute types present, sorted, each once.
    var types: [UInt16] {
        var types: [UInt16] = []
        forEach { type, _ in types.append(type) }
        types.sort()
        var unique: [UInt16] = []
        unique.reserveCapacity(types.count)
        for type in types where type != unique.last { unique.append(type) }
        return unique
    }

    /// The attributes nested inside attribute `type`.
    func nested(_ type: UInt16) -> NetlinkAttributes? {
        range(type).map { NetlinkAttributes(bytes: UnsafeRawBufferPointer(rebasing: bytes[$0])) }
    }

    /// Whether attribute `type` is present.
    func contains(_ type: UInt16) -> Bool { range(type) != nil }

    /// The payload of attribute `type`, copied.
    subscript(type: UInt16) -> [UInt8]? { range(type).map { Array(bytes[$0]) } }

    /// The payload of attribute `type`, as a view (valid while the message is).
    func payload(_ type: UInt16) -> UnsafeRawBufferPointer? {
        range(type).map { UnsafeRawBufferPointer(rebasing: bytes[$0]) }
    }

    func string(_ type: UInt16) -> String? {
        guard let range = range(type) else { return nil }
        return String(decoding: bytes[range].prefix(while: { $0 != 0 }), as: UTF8.self)
    }

    func uint32(_ type: UInt16) -> UInt32? { scalar(type) }
    func uint64(_ type: UInt16) -> UInt64? { scalar(type) }

    /// A C struct carried by attribute `type`, when the attribute is at least as long as the struct.
    func value<T>(_ type: UInt16, as _: T.Type) -> T? {
        guard let range = range(type), range.count >= MemoryLayout<T>.size else { return nil }
        return bytes.loadUnaligned(fromByteOffset: range.lowerBound, as: T.self)
    }

    private func scalar<T: FixedWidthInteger>(_ type: UInt16) -> T? {
        value(type, as: T.self)
    }
}
