/// The diff of one selection tree (a priority on a clsact hook) against what the kernel holds.
///
/// Tables are matched by path and keep their ids; nodes are matched by content within their bucket and keep
/// theirs; new nodes get free ids. The order keeps selected traffic shaped throughout: new tables and
/// nodes first, then links (deepest first, so a subtree is complete before it is reachable), then the
/// removals (nodes, then tables parents first).
extension Reconciler {
    /// The node id of a bucket's link node: the highest, because u32 keeps a bucket's nodes in id order
    /// and a link must come after the leaves.
    static let linkNode: UInt32 = 0xFFF
    /// The node id of the node in the priority's root table.
    static let rootNode: UInt32 = 1

    /// What a node should hold: compared with what the kernel reports.
    struct NodeContent: Hashable {
        var selector: U32Selector
        var link: UInt32?
        var redirect: String?
    }

    /// Names of our IFBs by interface index, and the other way round.
    struct Devices {
        var names: [Int32: String] = [:]
        var indexes: [String: Int32] = [:]

        init(_ observed: ObservedState) {
            for ifb in [observed.ifb, observed.uploadIFB].compactMap({ $0 }) {
                names[ifb.index] = ifb.name
                indexes[ifb.name] = ifb.index
            }
        }

        func content(_ filter: KernelFilter) -> NodeContent? {
            guard let selector = filter.u32?.selector else { return nil }
            let redirect = filter.redirectIndex.map { names[$0] ?? "ifindex \($0)" }
            return NodeContent(selector: selector, link: filter.u32?.link, redirect: redirect)
        }
    }

    func u32Spec(_ tree: (device: String, hook: ClsactHook, ethertype: UInt16, priority: UInt16), _ handle: U32Handle,
                 _ object: U32Object, kernel: U32Handle? = nil) -> U32Spec {
        U32Spec(device: tree.device, hook: tree.hook, ethertype: tree.ethertype, priority: tree.priority, handle: handle,
                object: object, kernelHandle: kernel)
    }

    /// The spec that re-creates an observed node or table (a root-table node under table id 0).
    func observedSpec(_ filter: KernelFilter, device: String, hook: ClsactHook, devices: Devices) -> U32Spec? {
        let handle = U32Handle(rawValue: filter.handle)
        let key = (device, hook, filter.ethertype, filter.priority)
        if let divisor = filter.u32?.divisor {
            return u32Spec(key, handle, .table(divisor: divisor))
        }
        guard let content = devices.content(filter) else { return nil }
        let isRoot = !Ownership.ownsTable(handle.table)
        return u32Spec(key, isRoot ? U32Handle(table: 0, node: handle.node) : handle,
                       .node(content.selector, link: content.link, redirect: content.redirect),
                       kernel: isRoot ? handle : nil)
    }

    /// Operations that take one priority's objects from `filters` (a hook's) to `tree` (`nil`: remove them
    /// all), appended to `result`.
    func treeOperations(_ tree: SelectionTree?, key: (device: String, hook: ClsactHook, ethertype: UInt16, priority: UInt16),
                        filters: [KernelFilter], devices: Devices, into result: inout [PlannedOperation])
        throws(ReconcileError)
    {
        let seen = ObservedTree(filters, priority: key.priority, ethertype: key.ethertype)
        func spec(_ handle: U32Handle, _ object: U32Object, kernel: U32Handle? = nil) -> U32Spec {
            u32Spec(key, handle, object, kernel: kernel)
        }
        func add(_ spec: U32Spec) -> PlannedOperation { PlannedOperation(operation: .addU32(spec), undo: [.deleteU32(spec)]) }
        func remove(_ index: Int) -> PlannedOperation? {
            guard let old = observedSpec(seen[index], device: key.device, hook: key.hook, devices: devices) else { return nil }
            return PlannedOperation(operation: .deleteU32(old), undo: [.addU32(old)])
        }
        func node(_ index: Int) -> UInt32 { U32Handle(rawValue: seen[index].handle).node }
        func byHandle(_ a: Int, _ b: Int) -> Bool { seen[a].handle < seen[b].handle }

        // Table ids: kept by path, new ones from the tree's range.
        var ids: [[UInt8]: UInt32] = [:]
        /// The tables wanted, by id: the port table (no path) and the tree's tables.
        var wanted: [(id: UInt32, path: [UInt8]?)] = []
        var root: NodeContent?
        if let tree {
            var taken = Set(seen.tables.keys).union([tree.portTable])
            let observedPaths = seen.paths
            let orderedPaths = tree.orderedPaths
            for path in orderedPaths {
                if let id = observedPaths[path], tree.tableIDs.contains(id), id != tree.portTable,
                    seen.tables[id] == tree.tables[path]?.divisor
                {
                    ids[path] = id
                }
            }
            var next = tree.tableIDs.lowerBound + 1
            for path in orderedPaths where ids[path] == nil {
                while taken.contains(next) { next += 1 }
                guard next <= tree.tableIDs.upperBound else {
                    throw .tooManyTables(interface: key.device, needed: tree.tables.count, available: tree.tableIDs.count - 1)
                }
                ids[path] = next
                taken.insert(next)
            }
            if !tree.portNodes.isEmpty { wanted.append((tree.portTable, nil)) }
            wanted += orderedPaths.map { (ids[$0]!, $0) }
            wanted.sort { $0.id < $1.id }
            root = NodeContent(selector: tree.rootNode, link: ids[[]], redirect: nil)
        }

        var tableAdds: [PlannedOperation] = []
        var nodeAdds: [PlannedOperation] = []
        var links: [(depth: Int, operations: [PlannedOperation])] = []
        var nodeDeletes: [PlannedOperation] = []
        let depth = Dictionary(ids.map { ($0.value, $0.key.count) }, uniquingKeysWith: min)
        for (table, path) in wanted {
            guard let tree else { break }
            let ports = !tree.portNodes.isEmpty
            // The bucket numbers wanted, ascending, with their leaves and link.
            var buckets: [(number: UInt8, leaves: [NodeContent], link: NodeContent?)] = []
            let divisor: UInt32
            if let path, let wantedTable = tree.tables[path] {
                divisor = wantedTable.divisor
                for (number, bucket) in wantedTable.buckets.sorted(by: { $0.key < $1.key }) {
                    let leaves = bucket.leaves.map {
                        NodeContent(selector: $0, link: ports ? tree.portTable : nil, redirect: ports ? nil : tree.target)
                    }
                    buckets.append((number, leaves,
                                    bucket.link.map { NodeContent(selector: $0.selector, link: ids[$0.path], redirect: nil) }))
                }
            } else {
                divisor = 1
                buckets = [(0, tree.portNodes.map { NodeContent(selector: $0, link: nil, redirect: tree.target) }, nil)]
            }
            if seen.tables[table] == nil { tableAdds.append(add(spec(U32Handle(table: table), .table(divisor: divisor)))) }
            for (bucket, leaves, link) in buckets {
                let present = seen.nodes(in: table, bucket: bucket)
                var linkPresent: Int?
                var candidates: [Int] = []
                for index in present {
                    if node(index) == Self.linkNode { linkPresent = index } else { candidates.append(index) }
                }
                let match = LeafMatching.match(leaves, candidates.map { devices.content(seen[$0]) })
                var usedIDs = Set(present.map(node))
                var nextID: UInt32 = 1
                for (leaf, kept) in zip(leaves, match.kept) where kept == nil {
                    while usedIDs.contains(nextID) { nextID += 1 }
                    usedIDs.insert(nextID)
                    nodeAdds.append(add(spec(U32Handle(table: table, bucket: bucket, node: nextID),
                                             .node(leaf.selector, link: leaf.link, redirect: leaf.redirect))))
                }
                nodeDeletes += match.unclaimed.map { candidates[$0] }.sorted(by: byHandle).compactMap(remove)
                let linkContent = linkPresent.flatMap { devices.content(seen[$0]) }
                if linkContent != link {
                    var step: [PlannedOperation] = []
                    if let linkPresent, let old = remove(linkPresent) { step.append(old) }
                    if let link {
                        step.append(add(spec(U32Handle(table: table, bucket: bucket, node: Self.linkNode),
                                             .node(link.selector, link: link.link, redirect: nil))))
                    }
                    links.append((depth[table] ?? 0, step))
                }
            }
            // Buckets no longer wanted in a kept table.
            var isWanted = [Bool](repeating: false, count: 256)
            for bucket in buckets { isWanted[Int(bucket.number)] = true }
            for (bucket, present) in seen.buckets(of: table) where !isWanted[Int(bucket)] {
                let sorted = present.sorted(by: byHandle)
                let linksHere = sorted.filter { node($0) == Self.linkNode }
                if !linksHere.isEmpty { links.append((depth[table] ?? 0, linksHere.compactMap(remove))) }
                nodeDeletes += sorted.filter { node($0) != Self.linkNode }.compactMap(remove)
            }
        }
        // The root node: one, with the wanted content, at node id 1.
        var rootStep: [PlannedOperation] = []
        let rootOK = seen.rootNodes.count == 1 && node(seen.rootNodes[0]) == Self.rootNode
            && devices.content(seen[seen.rootNodes[0]]) == root
        if !rootOK {
            rootStep += seen.rootNodes.compactMap(remove)
            if let root {
                let handle = U32Handle(table: 0, node: Self.rootNode)
                let existingRoot = seen.rootNodes.first.map {
                    U32Handle(table: U32Handle(rawValue: seen[$0].handle).table, node: Self.rootNode)
                }
                let new = spec(handle, .node(root.selector, link: root.link, redirect: nil), kernel: existingRoot)
                rootStep.append(add(new))
            }
        }

        // Tables no longer wanted, each with the nodes still in it (its undo puts them back).
        let doomed = Set(seen.tables.keys).subtracting(wanted.map(\.id))
        var tableDeletes: [PlannedOperation] = []
        for table in seen.deletionOrder(doomed) {
            let old = spec(U32Handle(table: table), .table(divisor: seen.tables[table]!))
            let contents = seen.nodes(ofTable: table).sorted(by: byHandle)
                .compactMap { observedSpec(seen[$0], device: key.device, hook: key.hook, devices: devices) }
            let ordered = contents.filter { $0.handle.node != Self.linkNode } + contents.filter { $0.handle.node == Self.linkNode }
            tableDeletes.append(PlannedOperation(operation: .deleteU32(old),
                                                 undo: [.addU32(old)] + ordered.map { .addU32($0) }))
        }
        result += tableAdds
        result += nodeAdds
        result += links.sorted { $0.depth > $1.depth }.flatMap(\.operations)
        result += rootStep
        result += nodeDeletes
        result += tableDeletes
        if tree == nil && !(seen.isEmpty && filters.allSatisfy { $0.priority != key.priority }) {
            let priority = FilterPrioritySpec(device: key.device, hook: key.hook, ethertype: key.ethertype,
                                              priority: key.priority)
            result.append(PlannedOperation(operation: .deleteFilterPriority(priority), undo: []))
        }
    }
}
