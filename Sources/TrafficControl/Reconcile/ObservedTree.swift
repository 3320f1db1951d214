/// Our u32 objects of one priority and protocol on one clsact hook, as dumped, indexed for diffing.
struct ObservedTree {
    /// Our tables (ids below `0x800`) → divisor.
    var tables: [UInt32: UInt32] = [:]
    /// Nodes of our tables, by table and bucket.
    var nodes: [UInt32: [UInt8: [KernelFilter]]] = [:]
    /// Nodes of the priority's root table (whose id the kernel chose).
    var rootNodes: [KernelFilter] = []

    init(_ filters: [KernelFilter]) {
        for filter in filters {
            let handle = U32Handle(rawValue: filter.handle)
            if let divisor = filter.u32?.divisor {
                if Ownership.ownsTable(handle.table) && handle.node == 0 { tables[handle.table] = divisor }
            } else if filter.u32?.selector != nil {
                if Ownership.ownsTable(handle.table) {
                    nodes[handle.table, default: [:]][handle.bucket, default: []].append(filter)
                } else {
                    rootNodes.append(filter)
                }
            }
        }
    }

    var isEmpty: Bool { tables.isEmpty && rootNodes.isEmpty }

    func nodes(in table: UInt32, bucket: UInt8) -> [KernelFilter] { nodes[table]?[bucket] ?? [] }

    /// The tables linked from a table's nodes (every bucket).
    func links(from table: UInt32) -> [UInt32] {
        (nodes[table] ?? [:]).values.flatMap { $0.compactMap { $0.u32?.link } }
    }

    /// Table paths as a ``SelectionTree`` numbers them: the root node's link is `[]`; the link node
    /// (``Reconciler/linkNode``) in bucket `b` of the table at `p` gives `p + [b]`.
    var paths: [[UInt8]: UInt32] {
        var result: [[UInt8]: UInt32] = [:]
        guard let entry = rootNodes.compactMap({ $0.u32?.link }).first, tables[entry] != nil else { return result }
        var queue: [([UInt8], UInt32)] = [([], entry)]
        var seen: Set<UInt32> = []
        while let (path, table) = queue.popLast() {
            guard seen.insert(table).inserted else { continue }
            result[path] = table
            for (bucket, list) in nodes[table] ?? [:] {
                for node in list where U32Handle(rawValue: node.handle).node == Reconciler.linkNode {
                    if let child = node.u32?.link, tables[child] != nil { queue.append((path + [bucket], child)) }
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
        while let table = ready.first {
            ready.removeFirst()
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
