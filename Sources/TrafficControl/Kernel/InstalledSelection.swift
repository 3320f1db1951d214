import TrafficSelection

/// What a traffic selection installed in the kernel looks like, read back from our u32 objects alone (for
/// `status`): per clsact hook and family, the tables, the leaves, the distinct prefixes they match and the
/// remote ports of the port table.
public struct InstalledSelection: Hashable, Sendable {
    /// One of our u32 trees: one family on one hook.
    public struct Tree: Hashable, Sendable {
        public var hook: ClsactHook
        public var family: AddressFamily
        public var priority: UInt16
        /// Our tables with 256 buckets (the hash tables; the entry table and the port table not counted).
        public var hashTables: Int
        /// Leaf nodes (one per prefix and bucket it is copied into).
        public var leaves: Int
        /// The distinct prefixes the leaves match.
        public var prefixes: Int
        /// The remote ports the port table matches (empty: any port).
        public var ports: [UInt16]
        /// The device index the tree's nodes redirect to (`nil` when none does).
        public var redirectIndex: Int32?
    }

    /// IPv4 before IPv6, egress (upload) before ingress (download).
    public var trees: [Tree]

    /// The selection on `observed`'s clsact hooks, or `nil` when none of our selection priorities is there.
    public init?(_ observed: ObservedState) {
        var trees: [Tree] = []
        for hook in ClsactHook.allCases {
            let filters = observed.selectionFilters(on: hook)
            for family in AddressFamily.allCases {
                let priority = Ownership.selectionPriority(family, hook: hook)
                let mine = filters.filter { $0.priority == priority }
                guard !mine.isEmpty else { continue }
                trees.append(Self.tree(mine, hook: hook, family: family, priority: priority))
            }
        }
        guard !trees.isEmpty else { return nil }
        self.trees = trees
    }

    /// The trees of one hook.
    public func trees(on hook: ClsactHook) -> [Tree] { trees.filter { $0.hook == hook } }

    private static func tree(_ filters: [KernelFilter], hook: ClsactHook, family: AddressFamily, priority: UInt16)
        -> Tree
    {
        let portTable = Ownership.tableIDs(hook: hook, family: family).lowerBound
        let base = SelectionTreeBuilder.addressOffset(family, hook)
        var hashTables = 0
        var leaves = 0
        var prefixes: Set<[UInt32]> = []
        var ports: Set<UInt16> = []
        var redirect: Int32?
        for filter in filters {
            let handle = U32Handle(rawValue: filter.handle)
            if let divisor = filter.u32?.divisor {
                if Ownership.ownsTable(handle.table) && handle.node == 0 && divisor == 256 { hashTables += 1 }
                continue
            }
            guard let selector = filter.u32?.selector, Ownership.ownsTable(handle.table) else { continue }
            if redirect == nil { redirect = filter.redirectIndex }
            if handle.table == portTable {
                if let port = port(selector, hook: hook) { ports.insert(port) }
                continue
            }
            guard handle.node != Reconciler.linkNode else { continue }
            leaves += 1
            // A prefix as (offset, mask, value) triples of its address keys: the same for each bucket it is in.
            prefixes.insert(selector.keys.filter { $0.offsetMask == 0 && $0.offset >= base && $0.offset < base + 16 }
                .flatMap { [UInt32(bitPattern: $0.offset), $0.mask, $0.value] })
        }
        return Tree(hook: hook, family: family, priority: priority, hashTables: hashTables, leaves: leaves,
                    prefixes: prefixes.count, ports: ports.sorted(), redirectIndex: redirect)
    }

    /// The remote port a port-table node matches (the destination port on egress, the source port on ingress).
    private static func port(_ selector: U32Selector, hook: ClsactHook) -> UInt16? {
        for key in selector.keys where key.offsetMask == -1 || key.offset == 40 {
            if hook == .egress && key.mask == 0x0000_FFFF { return UInt16(key.value & 0xFFFF) }
            if hook == .ingress && key.mask == 0xFFFF_0000 { return UInt16(key.value >> 16) }
        }
        return nil
    }
}
