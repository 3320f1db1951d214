internal import CNetlink

/// The attributes of a netlink message or of a nested attribute, copied out of libnl's buffer.
struct NetlinkAttributes {
    private(set) var values: [UInt16: [UInt8]] = [:]

    /// Walks `length` bytes of attributes at `start` with libnl's `nla_ok`/`nla_next`.
    init(start: UnsafeMutablePointer<nlattr>?, length: Int32) {
        var attribute = start
        var remaining = length
        while let current = attribute, nla_ok(current, remaining) != 0 {
            let type = UInt16(nla_type(current))
            let count = Int(nla_len(current))
            if let data = nla_data(current) {
                values[type] = Array(UnsafeRawBufferPointer(start: data, count: count))
            } else {
                values[type] = []
            }
            attribute = nla_next(current, &remaining)
        }
    }

    /// The attributes nested inside attribute `type`.
    func nested(_ type: UInt16) -> NetlinkAttributes? {
        guard var bytes = values[type] else { return nil }
        return bytes.withUnsafeMutableBytes { buffer in
            NetlinkAttributes(start: buffer.baseAddress?.assumingMemoryBound(to: nlattr.self), length: Int32(buffer.count))
        }
    }

    subscript(type: UInt16) -> [UInt8]? { values[type] }

    func string(_ type: UInt16) -> String? {
        guard let bytes = values[type] else { return nil }
        return String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
    }

    func uint32(_ type: UInt16) -> UInt32? { scalar(type) }
    func uint64(_ type: UInt16) -> UInt64? { scalar(type) }

    /// A C struct carried by attribute `type`, when the attribute is at least as long as the struct.
    func value<T>(_ type: UInt16, as _: T.Type) -> T? {
        guard let bytes = values[type], bytes.count >= MemoryLayout<T>.size else { return nil }
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }

    private func scalar<T: FixedWidthInteger>(_ type: UInt16) -> T? {
        value(type, as: T.self)
    }
}
