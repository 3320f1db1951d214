/// How a qdisc is configured, in the terms throttlectl compares and writes.
public enum QdiscConfiguration: Hashable, Sendable {
    /// A token bucket filter: the shaper throttlectl installs for each direction.
    case tbf(TBFSetting)
    /// The ingress qdisc (handle `ffff:`), where ingress filters hang.
    case ingress
    /// The clsact qdisc (handle `ffff:`), with an ingress and an egress hook for filters.
    case clsact
    /// Any other qdisc, kept as the kernel reported it so that it can be put back exactly.
    case recorded(kind: String, options: [UInt8])

    public var kind: String {
        switch self {
        case .tbf: return "tbf"
        case .ingress: return "ingress"
        case .clsact: return "clsact"
        case .recorded(let kind, _): return kind
        }
    }
}

/// The TBF settings the kernel keeps and reports (and, for writing, the bucket in bytes).
public struct TBFSetting: Hashable, Sendable {
    /// Bytes per second.
    public var rate: UInt64
    /// The queue limit in bytes.
    public var limit: UInt32
    /// The bucket in ticks, as the kernel keeps it (derived from `burst`).
    public var bufferTicks: UInt32
    /// The bucket in bytes (sent as `TCA_TBF_BURST`); the kernel does not report it, so it is not compared.
    public var burst: UInt32

    public init(rate: UInt64, limit: UInt32, bufferTicks: UInt32, burst: UInt32) {
        self.rate = rate
        self.limit = limit
        self.bufferTicks = bufferTicks
        self.burst = burst
    }

    /// Equal as far as the kernel can tell (it reports rate, limit and ticks, not the byte burst).
    public func matches(_ other: TBFSetting) -> Bool {
        rate == other.rate && limit == other.limit && bufferTicks == other.bufferTicks
    }
}

/// A qdisc on a device.
public struct QdiscSpec: Hashable, Sendable, CustomStringConvertible {
    public var device: String
    public var handle: TrafficControlHandle
    public var parent: TrafficControlHandle
    public var configuration: QdiscConfiguration

    public init(device: String, handle: TrafficControlHandle, parent: TrafficControlHandle,
                configuration: QdiscConfiguration) {
        self.device = device
        self.handle = handle
        self.parent = parent
        self.configuration = configuration
    }

    public var description: String {
        "\(configuration.kind) qdisc \(handle) (parent \(parent)) on \(device)"
    }
}

/// A u32 filter that redirects all traffic of one protocol to a device (mirred egress redirect).
public struct RedirectFilterSpec: Hashable, Sendable, CustomStringConvertible {
    public var device: String
    /// `ffff:` under an ingress qdisc, `ffff:fff2` under clsact.
    public var parent: TrafficControlHandle
    /// The ethertype: `0x0800` (IPv4) or `0x86dd` (IPv6).
    public var ethertype: UInt16
    public var priority: UInt16
    public var target: String

    public var protocolName: String { ethertype == 0x0800 ? "ip" : ethertype == 0x86DD ? "ipv6" : "0x\(String(ethertype, radix: 16))" }

    public var description: String { "\(protocolName) redirect filter (prio \(priority)) on \(device) to \(target)" }
}
