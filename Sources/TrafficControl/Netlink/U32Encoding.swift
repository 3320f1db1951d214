internal import CNetlink

/// `struct tc_u32_sel` and its keys as bytes (network order where the kernel compares), both ways.
enum U32Encoding {
    static func bytes(_ selector: U32Selector) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        var flags = selector.terminal ? UInt8(TC_U32_TERMINAL) : 0
        if let variable = selector.variableOffset {
            flags |= UInt8(TC_U32_VAROFFSET)
            out[1] = variable.shift
            put16(&out, 4, variable.mask)  // offmask is __be16
            put16(&out, 8, UInt16(bitPattern: variable.at), host: true)
        }
        out[0] = flags
        out[2] = UInt8(selector.keys.count)
        put16(&out, 10, UInt16(bitPattern: selector.hashOffset), host: true)
        put32(&out, 12, selector.hashMask)
        for key in selector.keys {
            var bytes = [UInt8](repeating: 0, count: 16)
            put32(&bytes, 0, key.mask)
            put32(&bytes, 4, key.value)
            put32(&bytes, 8, UInt32(bitPattern: key.offset), host: true)
            put32(&bytes, 12, UInt32(bitPattern: key.offsetMask), host: true)
            out += bytes
        }
        return out
    }

    /// The selector in a `TCA_U32_SEL` payload, or `nil` when it is shorter than its keys.
    static func selector(_ bytes: UnsafeRawBufferPointer) -> U32Selector? {
        guard bytes.count >= 16 else { return nil }
        let count = Int(bytes[2])
        guard bytes.count >= 16 + 16 * count else { return nil }
        var keys: [U32Key] = []
        keys.reserveCapacity(count)
        for index in 0..<count {
            let at = 16 + 16 * index
            keys.append(U32Key(mask: get32(bytes, at), value: get32(bytes, at + 4),
                               offset: Int32(bitPattern: get32(bytes, at + 8, host: true)),
                               offsetMask: Int32(bitPattern: get32(bytes, at + 12, host: true))))
        }
        let flags = bytes[0]
        var variable: U32VariableOffset?
        if flags & UInt8(TC_U32_VAROFFSET) != 0 {
            variable = U32VariableOffset(at: Int16(bitPattern: get16(bytes, 8, host: true)), mask: get16(bytes, 4),
                                         shift: bytes[1])
        }
        return U32Selector(keys: keys, terminal: flags & UInt8(TC_U32_TERMINAL) != 0, hashMask: get32(bytes, 12),
                           hashOffset: Int16(bitPattern: get16(bytes, 10, host: true)), variableOffset: variable)
    }

    // Network order unless `host` (the kernel's native-endian fields: off, offoff, hoff, key off/offmask).
    private static func put16(_ out: inout [UInt8], _ at: Int, _ value: UInt16, host: Bool = false) {
        withUnsafeBytes(of: host ? value : value.bigEndian) { out.replaceSubrange(at..<at + 2, with: $0) }
    }

    private static func put32(_ out: inout [UInt8], _ at: Int, _ value: UInt32, host: Bool = false) {
        withUnsafeBytes(of: host ? value : value.bigEndian) { out.replaceSubrange(at..<at + 4, with: $0) }
    }

    private static func get16(_ bytes: UnsafeRawBufferPointer, _ at: Int, host: Bool = false) -> UInt16 {
        let raw = bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self)
        return host ? raw : UInt16(bigEndian: raw)
    }

    private static func get32(_ bytes: UnsafeRawBufferPointer, _ at: Int, host: Bool = false) -> UInt32 {
        let raw = bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)
        return host ? raw : UInt32(bigEndian: raw)
    }

    /// `TCA_OPTIONS` of a u32 table or node.
    static func putOptions(_ spec: U32Spec, redirectIndex: Int32?, into request: NetlinkRequest) throws {
        try request.nest(UInt16(TCA_OPTIONS)) {
            switch spec.object {
            case .table(let divisor):
                try request.put(UInt16(TCA_U32_DIVISOR), value: divisor)
            case .node(let selector, let link, _):
                if spec.handle.table != 0 { try request.put(UInt16(TCA_U32_HASH), value: spec.handle.hashLocation) }
                if let link { try request.put(UInt16(TCA_U32_LINK), value: link << 20) }
                try request.put(UInt16(TCA_U32_SEL), bytes: bytes(selector))
                if let redirectIndex { try QdiscOptionsEncoder.putMirred(to: redirectIndex, into: request) }
            }
        }
    }
}
