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

    /// Operations that take one priority's objects from `filters` to `tree` (`nil`: remove them all).
    func treeOperations(_ tree: SelectionTree?, key: (device: String, hook: ClsactHook, ethertype: UInt16, priority: UInt16),
                        filters: [KernelFilter], devices: Devices) throws(ReconcileError) -> [PlannedOperation] {
        let seen = ObservedTree(filters.filter { $0.priority == key.priority && $0.ethertype == key.ethertype })
        func spec(_ handle: U32Handle, _ object: U32Object, kernel: U32Handle? = nil) -> U32Spec {
            u32Spec(key, handle, object, kernel: kernel)
        }
        func add(_ spec: U32Spec) -> PlannedOperation { PlannedOperation(operation: .addU32(spec), undo: [.deleteU32(spec)]) }
        func remove(_ filter: KernelFilter) -> PlannedOperation? {
            guard let old = observedSpec(filter, device: key.device, hook: key.hook, devices: devices) else { return nil }
            return PlannedOperation(operation: .deleteU32(old), undo: [.addU32(old)])
        }

        // Table ids: kept by path, new ones from the tree's range.
        var ids: [[UInt8]: UInt32] = [:]
        var wanted: [UInt32: (divisor: UInt32, buckets: [UInt8: (leaves: [NodeContent], link: NodeContent?)])] = [:]
        var root: NodeContent?
        if let tree {
            var taken = Set(seen.tables.keys).union([tree.portTable])
            let observedPaths = seen.paths
            for path in tree.orderedPaths {
                if let id = observedPaths[path], tree.tableIDs.contains(id), id != tree.portTable,
                    seen.tables[id] == tree.tables[path]?.divisor
                {
                    ids[path] = id
                }
            }
            var next = tree.tableIDs.lowerBound + 1
            for path in tree.orderedPaths where ids[path] == nil {
                while taken.contains(next) { next += 1 }
                guard next <= tree.tableIDs.upperBound else {
                    throw .tooManyTables(interface: key.device, needed: tree.tables.count, available: tree.tableIDs.count - 1)
                }
                ids[path] = next
                taken.insert(next)
            }
            let ports = !tree.portNodes.isEmpty
            if ports {
                let nodes = tree.portNodes.map { NodeContent(selector: $0, link: nil, redirect: tree.target) }
                wanted[tree.portTable] = (1, [0: (nodes, nil)])
            }
            for path in tree.orderedPaths {
                let table = tree.tables[path]!
                var buckets: [UInt8: (leaves: [NodeContent], link: NodeContent?)] = [:]
                for (number, bucket) in table.buckets {
                    let leaves = bucket.leaves.map {
                        NodeContent(selector: $0, link: ports ? tree.portTable : nil, redirect: ports ? nil : tree.target)
                    }
                    buckets[number] = (leaves, bucket.link.map { NodeContent(selector: $0.selector, link: ids[$0.path], redirect: nil) })
                }
                wanted[ids[path]!] = (table.divisor, buckets)
            }
            root = NodeContent(selector: tree.rootNode, link: ids[[]], redirect: nil)
        }

        var tableAdds: [PlannedOperation] = []
        var nodeAdds: [PlannedOperation] = []
        var links: [(depth: Int, operations: [PlannedOperation])] = []
        var nodeDeletes: [PlannedOperation] = []
        let depth = Dictionary(ids.map { ($0.value, $0.key.count) }, uniquingKeysWith: min)
        for (table, want) in wanted.sorted(by: { $0.key < $1.key }) {
            if seen.tables[table] == nil { tableAdds.append(add(spec(U32Handle(table: table), .table(divisor: want.divisor)))) }
            for (bucket, nodes) in want.buckets.sorted(by: { $0.key < $1.key }) {
                let present = seen.nodes(in: table, bucket: bucket)
                var pool: [NodeContent: [KernelFilter]] = [:]
                var linkPresent: KernelFilter?
                for node in present {
                    if U32Handle(rawValue: node.handle).node == Self.linkNode { linkPresent = node; continue }
                    if let content = devices.content(node) { pool[content, default: []].append(node) }
                }
                var usedIDs = Set(present.map { U32Handle(rawValue: $0.handle).node })
                var nextID: UInt32 = 1
                for leaf in nodes.leaves {
                    if pool[leaf]?.isEmpty == false { pool[leaf]!.removeLast(); continue }
                    while usedIDs.contains(nextID) { nextID += 1 }
                    usedIDs.insert(nextID)
                    nodeAdds.append(add(spec(U32Handle(table: table, bucket: bucket, node: nextID),
                                             .node(leaf.selector, link: leaf.link, redirect: leaf.redirect))))
                }
                nodeDeletes += pool.values.flatMap { $0 }.sorted { $0.handle < $1.handle }.compactMap(remove)
                let linkContent = linkPresent.flatMap(devices.content)
                if linkContent != nodes.link {
                    var step: [PlannedOperation] = []
                    if let linkPresent, let old = remove(linkPresent) { step.append(old) }
                    if let link = nodes.link {
                        step.append(add(spec(U32Handle(table: table, bucket: bucket, node: Self.linkNode),
                                             .node(link.selector, link: link.link, redirect: nil))))
                    }
                    links.append((depth[table] ?? 0, step))
                }
            }
            // Buckets no longer wanted in a kept table.
            for (bucket, present) in seen.nodes[table] ?? [:] where want.buckets[bucket] == nil {
                let (linksHere, leaves) = present.sorted { $0.handle < $1.handle }
                    .reduce(into: ([KernelFilter](), [KernelFilter]())) { result, node in
                        if U32Handle(rawValue: node.handle).node == Self.linkNode { result.0.append(node) } else { result.1.append(node) }
                    }
                if !linksHere.isEmpty { links.append((depth[table] ?? 0, linksHere.compactMap(remove))) }
                nodeDeletes += leaves.compactMap(remove)
            }
        }
        // The root node: one, with the wanted content, at node id 1.
        var rootStep: [PlannedOperation] = []
        let rootOK = seen.rootNodes.count == 1 && U32Handle(rawValue: seen.rootNodes[0].handle).node == Self.rootNode
            && devices.content(seen.rootNodes[0]) == root
        if !rootOK {
            rootStep += seen.rootNodes.compactMap(remove)
            if let root {
                let handle = U32Handle(table: 0, node: Self.rootNode)
                let existingRoot = seen.rootNodes.first.map { U32Handle(table: U32Handle(rawValue: $0.handle).table, node: Self.rootNode) }
                let new = spec(handle, .node(root.selector, link: root.link, redirect: nil),
                               kernel: existingRoot)
                rootStep.append(add(new))
            }
        }

        // Tables no longer wanted, each with the nodes still in it (its undo puts them back).
        let doomed = Set(seen.tables.keys).subtracting(wanted.keys)
        var tableDeletes: [PlannedOperation] = []
        for table in seen.deletionOrder(doomed) {
            let old = spec(U32Handle(table: table), .table(divisor: seen.tables[table]!))
            let contents = (seen.nodes[table] ?? [:]).values.flatMap { $0 }.sorted { $0.handle < $1.handle }
                .compactMap { observedSpec($0, device: key.device, hook: key.hook, devices: devices) }
            let ordered = contents.filter { $0.handle.node != Self.linkNode } + contents.filter { $0.handle.node == Self.linkNode }
            tableDeletes.append(PlannedOperation(operation: .deleteU32(old),
                                                 undo: [.addU32(old)] + ordered.map { .addU32($0) }))
        }
        var result = tableAdds + nodeAdds
        result += links.sorted { $0.depth > $1.depth }.flatMap(\.operations)
        result += rootStep + nodeDeletes + tableDeletes
        if tree == nil && !(seen.isEmpty && filters.allSatisfy { $0.priority != key.priority }) {
            let priority = FilterPrioritySpec(device: key.device, hook: key.hook, ethertype: key.ethertype,
                                              priority: key.priority)
            result.append(PlannedOperation(operation: .deleteFilterPriority(priority), undo: []))
        }
        return result
    }
}
