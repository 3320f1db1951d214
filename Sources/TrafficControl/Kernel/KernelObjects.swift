/// Counters the kernel keeps for a qdisc or class (`TCA_STATS2`).
public struct TrafficStatistics: Hashable, Sendable {
    public var bytes: UInt64 = 0
    public var packets: UInt64 = 0
    public var drops: UInt32 = 0
    public var overlimits: UInt32 = 0
    public var requeues: UInt32 = 0
    public var backlogBytes: UInt32 = 0
    public var queueLength: UInt32 = 0

    public init() {}
}

/// TBF's options as the kernel reports them (`tc_tbf_qopt` and the 64-bit rates).
public struct TBFKernelOptions: Hashable, Sendable {
    /// The rate in bytes per second (the 64-bit attribute when present, else the 32-bit field).
    public var rate: UInt64
    public var peakRate: UInt64
    public var limit: UInt32
    public var bufferTicks: UInt32
    public var mtuTicks: UInt32
    /// True when the kernel sent `TCA_TBF_RATE64`.
    public var hasRate64: Bool
}

/// An HTB qdisc's options (`tc_htb_glob`).
public struct HTBQdiscKernelOptions: Hashable, Sendable {
    public var version: UInt32
    public var r2q: UInt32
    public var defaultClass: UInt32
    public var directPackets: UInt32
}

/// An HTB class's options as the kernel reports them (`tc_htb_opt` and the 64-bit rates).
public struct HTBClassKernelOptions: Hashable, Sendable {
    public var rate: UInt64
    public var ceil: UInt64
    public var bufferTicks: UInt32
    public var cbufferTicks: UInt32
    public var quantum: UInt32
    public var level: UInt32
    public var prio: UInt32
    public var hasRate64: Bool
    public var hasCeil64: Bool
}

/// What a qdisc is configured with, by kind.
public enum QdiscOptions: Hashable, Sendable {
    case tbf(TBFKernelOptions)
    case htb(HTBQdiscKernelOptions)
    /// pfifo / bfifo: the limit in packets or bytes.
    case fifo(limit: UInt32)
    case other
}

/// A qdisc as the kernel reports it.
public struct KernelQdisc: Hashable, Sendable {
    public var interfaceIndex: Int32
    public var handle: TrafficControlHandle
    public var parent: TrafficControlHandle
    public var kind: String
    public var options: QdiscOptions
    /// The `TCA_OPTIONS` payload as dumped, so that a qdisc can be put back exactly.
    public var rawOptions: [UInt8]
    public var statistics: TrafficStatistics
}

/// A filter as the kernel reports it (u32 filters with a mirred redirect are decoded).
public struct KernelFilter: Hashable, Sendable {
    public var interfaceIndex: Int32
    public var parent: TrafficControlHandle
    public var handle: UInt32
    public var priority: UInt16
    public var ethertype: UInt16
    public var kind: String
    /// The device index a mirred action redirects to, if the filter has one.
    public var redirectIndex: Int32?
    /// True for a u32 key node (not a hash-table entry).
    public var hasSelector: Bool
    public var statistics: TrafficStatistics
    /// A u32 table's divisor, or a u32 node's selector and link, decoded.
    public var u32: KernelU32? = nil
}

/// What a u32 filter object holds, as dumped.
public struct KernelU32: Hashable, Sendable {
    /// Set for a hash table (`TCA_U32_DIVISOR`).
    public var divisor: UInt32?
    /// Set for a key node (`TCA_U32_SEL`).
    public var selector: U32Selector?
    /// The table id a node links to (`TCA_U32_LINK` >> 20).
    public var link: UInt32?
}

/// A class as the kernel reports it.
public struct KernelClass: Hashable, Sendable {
    public var interfaceIndex: Int32
    public var handle: TrafficControlHandle
    public var parent: TrafficControlHandle
    public var kind: String
    public var htb: HTBClassKernelOptions?
    public var statistics: TrafficStatistics
}

/// A network interface: index, name, MTU, and whether it is up.
public struct NetworkInterface: Hashable, Sendable {
    public var index: Int32
    public var name: String
    public var mtu: UInt32
    public var isUp: Bool
    /// The link type (`ifb`, `veth`, …), or `nil` for a plain device.
    public var kind: String?
    /// The interface alias (`IFLA_IFALIAS`), which marks throttlectl's IFBs.
    public var alias: String?

    public init(index: Int32, name: String, mtu: UInt32, isUp: Bool, kind: String? = nil, alias: String? = nil) {
        self.index = index
        self.name = name
        self.mtu = mtu
        self.isUp = isUp
        self.kind = kind
        self.alias = alias
    }
}
