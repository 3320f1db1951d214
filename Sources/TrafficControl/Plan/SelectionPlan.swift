import TrafficSelection

/// One u32 table of a ``SelectionTree``: its buckets, each with leaf nodes and perhaps a link to a child.
public struct SelectionTable: Hashable, Sendable {
    /// 1 for the entry table, 256 for a table that hashes one address byte.
    public var divisor: UInt32
    public var buckets: [UInt8: SelectionBucket]
}

/// The nodes of one bucket: leaves (one per prefix, tried in any order: they are disjoint), then a link.
public struct SelectionBucket: Hashable, Sendable {
    public var leaves: [U32Selector]
    /// The child table's path and the link node's selector (which carries the child's hash key).
    public var link: (path: [UInt8], selector: U32Selector)?

    public static func == (a: Self, b: Self) -> Bool {
        a.leaves == b.leaves && a.link?.path == b.link?.path && a.link?.selector == b.link?.selector
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(leaves)
        hasher.combine(link?.path)
        hasher.combine(link?.selector)
    }
}

/// The u32 filters for one family on one clsact hook: a node in the priority's root table links to the
/// entry table (path `[]`), whose bucket 0 holds the entry leaves and links to the first hash table (path
/// `[0]`); bucket `b` of the table at path `p` links to the table at `p + [b]`.
///
/// With ports, every leaf links to one small port table whose terminal nodes match TCP or UDP and the remote
/// port; without, every leaf is terminal and redirects to ``target``.
public struct SelectionTree: Hashable, Sendable {
    public var hook: ClsactHook
    public var family: AddressFamily
    public var priority: UInt16
    /// The IFB that selected packets are redirected to (its root TBF shapes them).
    public var target: String
    public var rootNode: U32Selector
    /// Path → table.
    public var tables: [[UInt8]: SelectionTable]
    /// The nodes of the port table (empty: any port, no port table).
    public var portNodes: [U32Selector]
    /// The table ids this tree may use (``Ownership/tableIDs(hook:family:)``); the first is the port table.
    public var tableIDs: ClosedRange<UInt32>

    public var ethertype: UInt16 { family == .ipv4 ? 0x0800 : 0x86DD }
    public var portTable: UInt32 { tableIDs.lowerBound }

    /// The paths of the tables, parents before children.
    public var orderedPaths: [[UInt8]] {
        tables.keys.sorted { $0.count != $1.count ? $0.count < $1.count : $0.lexicographicallyPrecedes($1) }
    }

    /// Leaf nodes in all buckets.
    public var leafCount: Int { tables.values.reduce(0) { $0 + $1.buckets.values.reduce(0) { $0 + $1.leaves.count } } }
}

/// What a selection adds to a plan: the upload IFB and the u32 trees per hook and family.
public struct SelectionPlan: Hashable, Sendable {
    /// The IFB that shapes selected upload traffic (`ifb-u<ifindex>`); download uses the plan's IFB.
    public var uploadIFB: String
    public var trees: [SelectionTree]
    /// Remote ports; empty = any.
    public var ports: [UInt16]
    /// Merged prefix counts (IPv4, IPv6), for reports.
    public var prefixCounts: (ipv4: Int, ipv6: Int)

    public static func == (a: Self, b: Self) -> Bool {
        a.uploadIFB == b.uploadIFB && a.trees == b.trees && a.ports == b.ports
            && a.prefixCounts == b.prefixCounts
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(uploadIFB)
        hasher.combine(trees)
        hasher.combine(ports)
    }
}
