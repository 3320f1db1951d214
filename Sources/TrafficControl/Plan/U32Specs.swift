/// A clsact hook: where selected traffic is picked off an interface without touching its root qdisc.
public enum ClsactHook: String, Hashable, Sendable, CaseIterable {
    /// Packets the interface sends (upload); filters hang at `ffff:fff3`.
    case egress
    /// Packets the interface receives (download); filters hang at `ffff:fff2`.
    case ingress

    /// The filter parent of the hook (`TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS / TC_H_MIN_INGRESS)`).
    public var parent: TrafficControlHandle {
        TrafficControlHandle(rawValue: self == .egress ? 0xFFFF_FFF3 : 0xFFFF_FFF2)
    }
}

/// One u32 key: the 32-bit word at `offset` (plus the variable offset when `offsetMask` is -1, tc's
/// `nexthdr+`) masked with `mask` must equal `value`. Values are in host order; the encoder sends them in
/// network order, as the kernel compares them.
public struct U32Key: Hashable, Sendable {
    public var mask: UInt32
    public var value: UInt32
    public var offset: Int32
    /// `-1` to add the offset computed by a VAROFFSET link above (tc's `at nexthdr+N`), else 0.
    public var offsetMask: Int32

    public init(mask: UInt32, value: UInt32, offset: Int32, offsetMask: Int32 = 0) {
        self.mask = mask
        self.value = value & mask
        self.offset = offset
        self.offsetMask = offsetMask
    }

    /// `match u32 0 0 at 0`: every packet (tc writes it for a node without keys).
    public static let any = U32Key(mask: 0, value: 0, offset: 0)
}

/// The variable offset a link node computes for the tables below it (`offset at A mask M shift S`, no eat):
/// `((word16 at A) & M) >> S`, rounded down to a multiple of 4. For IPv4 `at 0 mask 0x0f00 shift 6` is the
/// header length in bytes, so that `nexthdr+` keys below read the transport header.
public struct U32VariableOffset: Hashable, Sendable {
    public var at: Int16
    public var mask: UInt16
    public var shift: UInt8

    public static let ipv4HeaderLength = U32VariableOffset(at: 0, mask: 0x0F00, shift: 6)
}

/// A `struct tc_u32_sel` as throttlectl writes it: keys, and for a link node the hash key of the table
/// it links to and an optional variable offset.
public struct U32Selector: Hashable, Sendable {
    public var keys: [U32Key]
    /// TC_U32_TERMINAL: the node's actions run when its keys match.
    public var terminal: Bool
    /// The mask of the word that picks the bucket in the linked table (host order; 0: no hashing).
    public var hashMask: UInt32
    public var hashOffset: Int16
    public var variableOffset: U32VariableOffset?

    public init(keys: [U32Key], terminal: Bool, hashMask: UInt32 = 0, hashOffset: Int16 = 0,
                variableOffset: U32VariableOffset? = nil) {
        self.keys = keys.isEmpty ? [.any] : keys
        self.terminal = terminal
        self.hashMask = hashMask
        self.hashOffset = hashOffset
        self.variableOffset = variableOffset
    }
}

/// A u32 handle `htid:bucket:node` (12, 8 and 12 bits).
public struct U32Handle: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(table: UInt32, bucket: UInt8 = 0, node: UInt32 = 0) {
        rawValue = (table & 0xFFF) << 20 | UInt32(bucket) << 12 | (node & 0xFFF)
    }
    public var table: UInt32 { rawValue >> 20 }
    public var bucket: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 12) }
    public var node: UInt32 { rawValue & 0xFFF }
    /// The table and bucket part (`TCA_U32_HASH`).
    public var hashLocation: UInt32 { rawValue & 0xFFFF_F000 }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    /// As tc writes it: `1:`, `1:2:`, `1:2:800`.
    public var description: String {
        let hex = { (value: UInt32) in String(value, radix: 16) }
        if node == 0 && bucket == 0 { return "\(hex(table)):" }
        return "\(hex(table)):\(hex(UInt32(bucket))):\(hex(node))"
    }
}

/// What a u32 object is: a hash table, or a key node that links on or redirects.
public enum U32Object: Hashable, Sendable {
    /// A hash table with `divisor` buckets (1 or 256).
    case table(divisor: UInt32)
    /// A key node; `link` is the table it descends into, `redirect` the device its mirred action sends to.
    case node(U32Selector, link: UInt32?, redirect: String?)
}

/// One u32 object under a clsact hook of an interface, at one priority and protocol.
///
/// A node in the priority's own root table (whose id the kernel picks) is written with table id 0 and read
/// back with the kernel's id in ``kernelHandle``.
public struct U32Spec: Hashable, Sendable, CustomStringConvertible {
    public var device: String
    public var hook: ClsactHook
    public var ethertype: UInt16
    public var priority: UInt16
    public var handle: U32Handle
    public var object: U32Object
    /// The handle as the kernel reported it (for deleting a node of the root table), if read back.
    public var kernelHandle: U32Handle?

    public init(device: String, hook: ClsactHook, ethertype: UInt16, priority: UInt16, handle: U32Handle,
                object: U32Object, kernelHandle: U32Handle? = nil) {
        self.device = device
        self.hook = hook
        self.ethertype = ethertype
        self.priority = priority
        self.handle = handle
        self.object = object
        self.kernelHandle = kernelHandle
    }

    public var protocolName: String { ethertype == 0x0800 ? "ip" : "ipv6" }

    public var description: String {
        switch object {
        case .table(let divisor): return "u32 table \(handle) (divisor \(divisor)) on \(device) \(hook.rawValue)"
        case .node: return "u32 node \(kernelHandle ?? handle) (\(protocolName) prio \(priority)) on \(device) \(hook.rawValue)"
        }
    }
}

/// A whole filter priority under a clsact hook (deleting it takes its root table along).
public struct FilterPrioritySpec: Hashable, Sendable, CustomStringConvertible {
    public var device: String
    public var hook: ClsactHook
    public var ethertype: UInt16
    public var priority: UInt16

    public var description: String { "u32 filters prio \(priority) on \(device) \(hook.rawValue)" }
}
