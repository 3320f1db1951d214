/// Our u32 objects of one priority and protocol on one clsact hook, as dumped, indexed for diffing.
///
/// The hook's filter list is kept as it is and referred to by position: a tree of 12,000 nodes is indexed
/// with one sort of integers, not copied into nested dictionaries. A class, so that the diff's helper
/// closures share it instead of copying it.
final class ObservedTree {
    /// The hook's filters (all priorities); the indexes below point into it.
    let filters: [KernelFilter]
    /// Our tables (ids below `0x800`) → divisor.
    let tables: [UInt32: UInt32]
    /// Indexes of the nodes of our tables, grouped by table then bucket (both ascending), in dump order
    /// within a bucket.
    private let order: [Int]
    /// Table id → its buckets (ascending), each with its range in `order`.
    private let buckets: [UInt32: [(bucket: UInt8, range: Range<Int>)]]
    /// Indexes of the nodes of the priority's root table (whose id the kernel chose), in dump order.
    let rootNodes: [Int]

    /// Indexes `filters`' u32 objects of `priority` and `ethertype`.
    init(_ filters: [KernelFilter], priority: UInt16, ethertype: UInt16) {
        var tables: [UInt32: UInt32] = [:]
        var rootNodes: [Int] = []
        // (table and bucket) << 32 | index: one integer sort groups the nodes and keeps dump order in a bucket.
        var keyed: [UInt64] = []
        for (index, filter) in filters.enumerated() where filter.priority == priority && filter.ethertype == ethertype {
            let handle = U32Handle(rawValue: filter.handle)
            if let divisor = filter.u32?.divisor {
                if Ownership.ownsTable(handle.table) && handle.node == 0 { tables[handle.table] = divisor }
            } else if filter.u32?.selector != nil {
                if Ownership.ownsTable(handle.table) {
                    keyed.append(UInt64(handle.hashLocation) << 32 | UInt64(index))
                } else {
                    rootNodes.append(index)
                }
            }
        }
        keyed.sort()
        var buckets: [UInt32: [(bucket: UInt8, range: Range<Int>)]] = [:]
        var start = 0
        while start < keyed.count {
            let location = UInt32(truncatingIfNeeded: keyed[start] >> 32)
            var end = start + 1
            while end < keyed.count && UInt32(truncatingIfNeeded: keyed[end] >> 32) == location { end += 1 }
            let handle = U32Handle(rawValue: location)
            buckets[handle.table, default: []].append((handle.bucket, start..<end))
            start = end
        }
        self.filters = filters
        self.tables = tables
        self.rootNodes = rootNodes
        self.buckets = buckets
        order = keyed.map { Int(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
    }

    subscript(index: Int) -> KernelFilter { filters[index] }

    var isEmpty: Bool { tables.isEmpty && rootNodes.isEmpty }

    /// The node indexes of one bucket, in dump order.
    func nodes(in table: UInt32, bucket: UInt8) -> ArraySlice<Int> {
        guard let list = buckets[table], let found = list.first(where: { $0.bucket == bucket }) else { return [] }
        return order[found.range]
    }

    /// The non-empty buckets of a table, ascending, with their node indexes.
    func buckets(of table: UInt32) -> [(bucket: UInt8, nodes: ArraySlice<Int>)] {
        (buckets[table] ?? []).map { ($0.bucket, order[$0.range]) }
    }

    /// Every node index of a table.
    func nodes(ofTable table: UInt32) -> ArraySlice<Int> {
        guard let list = buckets[table], let first = list.first, let last = list.last else { return [] }
        return order[first.range.lowerBound..<last.range.upperBound]
    }

    /// The tables linked from a table's nodes (every bucket).
    func links(from table: UInt32) -> [UInt32] {
        nodes(ofTable: table).compactMap { filters[$0].u32?.link }
    }

    /// Table paths as a ``SelectionTree`` numbers them: the root node's link is `[]`; the link node
    /// (``Reconciler/linkNode``) in bucket `b` of the table at `p` gives `p + [b]`.
    var paths: [[UInt8]: UInt32] {
        var result: [[UInt8]: UInt32] = [:]
        guard let entry = rootNodes.lazy.compactMap({ self.filters[$0].u32?.link }).first, tables[entry] != nil else {
            return result
        }
        var queue: [([UInt8], UInt32)] = [([], entry)]
        var seen: Set<UInt32> = []
        while let (path, table) = queue.popLast() {
            guard seen.insert(table).inserted else { continue }
            result[path] = table
            for (bucket, nodes) in buckets(of: table) {
                for index in nodes where U32Handle(rawValue: filters[index].handle).node == Reconciler.linkNode {
                    if let child = filters[index].u32?.link, tables[child] != nil { queue.append((path + [bucket], child)) }
                }
            }
        }
        return result
    }

    /// `tables` in an order in which each can be deleted: a table after every table that links to it.
    func deletionOrder(_ doomed: Set<UInt32>) -> [UInt32] {
        var incoming: [UInt32: Int] = [:]
        for table in doomed {
            for child in links(from: table) where doomed.contains(child) { incoming[child, default: 0] += 1 }
        }
        var ready = doomed.filter { incoming[$0, default: 0] == 0 }.sorted()
        var order: [UInt32] = []
        var next = 0
        while next < ready.count {
            let table = ready[next]
            next += 1
            order.append(table)
            for child in links(from: table) where doomed.contains(child) {
                incoming[child]! -= 1
                if incoming[child] == 0 { ready.append(child) }
            }
        }
        // A cycle cannot be made (the kernel refuses links to tables in use that way); keep any rest anyway.
        return order + doomed.subtracting(order).sorted()
    }
}
