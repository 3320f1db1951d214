/// A stable digest of everything the reconciler reads from an ``ObservedState``, counters left out.
///
/// Two reads of an unchanged kernel give the same fingerprint, in any process (a 64-bit FNV-1a over a
/// canonical encoding, not Swift's per-process seeded `Hasher`); a change to any link, qdisc or filter that
/// the reconciler would see (an added, removed or altered node, key, link, table, redirect, rate…) gives
/// another. `apply` uses it to recognise a kernel it has already found converged for the same plan.
extension ObservedState {
    public var fingerprint: UInt64 {
        var digest = Fingerprint()
        digest.add(interface)
        digest.add(ifbName)
        digest.add(ifb)
        digest.add(qdiscs)
        digest.add(ifbQdiscs)
        digest.add(uploadIFBName)
        digest.add(uploadIFB)
        digest.add(uploadIFBQdiscs)
        digest.add(ingressFilters)
        digest.add(egressFilters)
        return digest.value
    }
}

struct Fingerprint {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add<T: FixedWidthInteger>(_ number: T) {
        var number = number.littleEndian
        withUnsafeBytes(of: &number) { for byte in $0 { mix(byte) } }
    }

    private mutating func mix(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01B3
    }

    mutating func add(_ bytes: [UInt8]) {
        add(UInt32(bytes.count))
        for byte in bytes { mix(byte) }
    }

    mutating func add(_ text: String?) {
        guard let text else { return add(UInt8(0)) }
        add(UInt8(1))
        // As `add([UInt8])` of the UTF-8 bytes, without making the array.
        add(UInt32(text.utf8.count))
        for byte in text.utf8 { mix(byte) }
    }

    mutating func add(_ flag: Bool) { add(UInt8(flag ? 1 : 0)) }

    mutating func add(_ interface: NetworkInterface?) {
        guard let interface else { return add(UInt8(0)) }
        add(UInt8(1))
        add(interface.index)
        add(interface.name)
        add(interface.mtu)
        add(interface.isUp)
        add(interface.kind)
        add(interface.alias)
    }

    mutating func add(_ qdiscs: [KernelQdisc]) {
        add(UInt32(qdiscs.count))
        for qdisc in qdiscs {
            add(qdisc.interfaceIndex)
            add(qdisc.handle.rawValue)
            add(qdisc.parent.rawValue)
            add(qdisc.kind)
            add(qdisc.rawOptions)
        }
    }

    mutating func add(_ filters: [KernelFilter]) {
        add(UInt32(filters.count))
        for filter in filters {
            add(filter.interfaceIndex)
            add(filter.parent.rawValue)
            add(filter.handle)
            add(filter.priority)
            add(filter.ethertype)
            add(filter.kind)
            add(filter.redirectIndex ?? -1)
            add(filter.redirectIndex != nil)
            add(filter.hasSelector)
            add(filter.u32?.divisor ?? 0)
            add(filter.u32?.divisor != nil)
            add(filter.u32?.link ?? 0)
            add(filter.u32?.link != nil)
            if let selector = filter.u32?.selector {
                add(UInt8(1))
                add(selector.terminal)
                add(selector.hashMask)
                add(selector.hashOffset)
                add(selector.variableOffset?.at ?? 0)
                add(selector.variableOffset?.mask ?? 0)
                add(selector.variableOffset?.shift ?? 0)
                add(selector.variableOffset != nil)
                add(UInt32(selector.keys.count))
                for key in selector.keys {
                    add(key.mask)
                    add(key.value)
                    add(key.offset)
                    add(key.offsetMask)
                }
            } else {
                add(UInt8(0))
            }
        }
    }
}
