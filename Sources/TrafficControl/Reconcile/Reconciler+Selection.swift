/// Shaping only the selected traffic: IFBs with their TBFs, a clsact qdisc, the u32 trees on its hooks; and
/// removing all of it when the plan no longer selects (or `clear`).
extension Reconciler {
    func reconcileSelection(_ plan: ShapingPlan, _ selection: SelectionPlan, observed: ObservedState,
                            recordedRoot: QdiscSpec?) throws(ReconcileError) -> Reconciliation {
        let device = observed.interface.name
        let index = observed.interface.index
        try checkIFB(named: observed.uploadIFBName, observed.uploadIFB, qdiscs: observed.uploadIFBQdiscs, observed: observed)
        var operations: [PlannedOperation] = []
        var last: [PlannedOperation] = []
        if let upload = plan.upload {
            operations += ensureIFB(selection.uploadIFB, existing: observed.uploadIFB,
                                    alias: Ownership.uploadIFBAlias(interface: device, index: index))
            operations += converge(upload, qdiscs: observed.uploadIFBQdiscs, replacing: nil)
        } else if let ifb = observed.uploadIFB {
            last.append(ifbRemoval(ifb, qdiscs: observed.uploadIFBQdiscs,
                                   alias: Ownership.uploadIFBAlias(interface: device, index: index)))
        }
        if let download = plan.download {
            operations += ensureIFB(observed.ifbName, existing: observed.ifb,
                                    alias: Ownership.ifbAlias(interface: device, index: index))
            operations += converge(download, qdiscs: observed.ifbQdiscs, replacing: nil)
        } else if let ifb = observed.ifb {
            last.append(ifbRemoval(ifb, qdiscs: observed.ifbQdiscs, alias: Ownership.ifbAlias(interface: device, index: index)))
        }

        let devices = Devices(observed)
        let wholePriorities = [Ownership.ipv4FilterPriority, Ownership.ipv6FilterPriority]
        var current = observed
        var afterTrees: [PlannedOperation] = []
        var trees = selection.trees
        if !selection.trees.isEmpty {
            let clsact = QdiscSpec(device: device, handle: .ingress, parent: .ingressParent, configuration: .clsact)
            if let ingress = observed.ingress, ingress.kind == "ingress" {
                // Our whole-interface ingress qdisc: clsact cannot sit beside it, so it goes first, in the same
                // batch; download traffic passes unshaped for the moment between the two messages.
                let foreign = observed.ingressFilters.filter { !wholePriorities.contains($0.priority) }
                guard foreign.isEmpty else { throw .foreignIngress(interface: device) }
                let spec = KernelSpecs.qdisc(ingress, device: device)
                let filters = observed.ownFilters.map { RedirectFilterSpec(device: device, parent: .ingress,
                                                                           ethertype: $0.ethertype, priority: $0.priority,
                                                                           target: observed.ifbName) }
                operations.append(PlannedOperation(operation: .deleteQdisc(spec),
                                                   undo: [.addQdisc(spec)] + filters.map { .addFilter($0) }))
                operations.append(PlannedOperation(operation: .addQdisc(clsact), undo: [.deleteQdisc(clsact)]))
                current.ingressFilters = []
                // Download is the side left unshaped until its trees are in: they go first.
                trees = trees.filter { $0.hook == .ingress } + trees.filter { $0.hook == .egress }
            } else if observed.ingress == nil {
                operations.append(PlannedOperation(operation: .addQdisc(clsact), undo: [.deleteQdisc(clsact)]))
            } else {
                // Whole-interface filters beside ours on a clsact: removed once the trees are in place.
                for filter in observed.ownFilters where wholePriorities.contains(filter.priority) {
                    let spec = RedirectFilterSpec(device: device, parent: ClsactHook.ingress.parent,
                                                  ethertype: filter.ethertype, priority: filter.priority,
                                                  target: observed.ifbName)
                    afterTrees.append(PlannedOperation(operation: .deleteFilter(spec), undo: [.addFilter(spec)]))
                }
            }
        }
        for tree in trees {
            try treeOperations(tree, key: (device, tree.hook, tree.ethertype, tree.priority),
                               filters: current.filters(on: tree.hook), devices: devices, into: &operations)
        }
        let wanted = Set(selection.trees.map { "\($0.hook):\($0.priority)" })
        try removeTrees(current, devices: devices, into: &operations) { !wanted.contains("\($0):\($1)") }
        operations += afterTrees
        if selection.trees.isEmpty {
            operations += removeClsactIfEmpty(current)
        }
        let (upload, record) = unshapeUpload(observed: observed, recordedRoot: recordedRoot, clearing: false)
        operations += upload
        operations += last
        return Reconciliation(operations: operations, record: record)
    }

    /// Removal of our selection priorities for which `doomed(hook, priority)` holds, appended to `operations`.
    func removeTrees(_ observed: ObservedState, devices: Devices, into operations: inout [PlannedOperation],
                     _ doomed: (ClsactHook, UInt16) -> Bool) throws(ReconcileError)
    {
        for hook in ClsactHook.allCases {
            // The hook's filters as they are (no copy): each tree picks its own priority out of them.
            let filters = observed.filters(on: hook)
            var keys: [(UInt16, UInt16)] = []
            for filter in filters where Ownership.isSelectionPriority(filter.priority)
                && !keys.contains(where: { $0 == (filter.priority, filter.ethertype) })
            {
                keys.append((filter.priority, filter.ethertype))
            }
            for (priority, ethertype) in keys.sorted(by: { $0.0 < $1.0 }) where doomed(hook, priority) {
                try treeOperations(nil, key: (observed.interface.name, hook, ethertype, priority),
                                   filters: filters, devices: devices, into: &operations)
            }
        }
    }

    /// Deleting a clsact qdisc that holds no filters but ours (`clear`, or a selection with nothing to shape),
    /// in one step; its undo puts back the qdisc and every filter of ours.
    func removeClsactIfEmpty(_ observed: ObservedState) -> [PlannedOperation] {
        guard let clsact = observed.ingress, clsact.kind == "clsact" else { return [] }
        let whole = [Ownership.ipv4FilterPriority, Ownership.ipv6FilterPriority]
        let all = observed.egressFilters + observed.ingressFilters
        guard all.allSatisfy({ whole.contains($0.priority) || Ownership.isSelectionPriority($0.priority) }) else {
            return []
        }
        let device = observed.interface.name
        let devices = Devices(observed)
        var undo: [TrafficControlOperation] = [.addQdisc(KernelSpecs.qdisc(clsact, device: device))]
        for filter in observed.ownFilters where whole.contains(filter.priority) {
            undo.append(.addFilter(RedirectFilterSpec(device: device, parent: ClsactHook.ingress.parent,
                                                      ethertype: filter.ethertype, priority: filter.priority,
                                                      target: observed.ifbName)))
        }
        for hook in ClsactHook.allCases {
            // Tables first, then nodes (leaves before links: links need their tables), root-table nodes last;
            // each group in dump order. One pass, into one list per group.
            var tables: [TrafficControlOperation] = []
            var leaves: [TrafficControlOperation] = []
            var links: [TrafficControlOperation] = []
            var roots: [TrafficControlOperation] = []
            for filter in observed.filters(on: hook) where Ownership.isSelectionPriority(filter.priority)
                && (Ownership.ownsTable(U32Handle(rawValue: filter.handle).table) || filter.u32?.divisor == nil)
            {
                guard var spec = observedSpec(filter, device: device, hook: hook, devices: devices) else { continue }
                switch spec.object {
                case .table:
                    tables.append(.addU32(spec))
                case .node where spec.handle.table == 0:
                    spec.kernelHandle = nil
                    roots.append(.addU32(spec))
                case .node where spec.handle.node == Self.linkNode:
                    links.append(.addU32(spec))
                case .node:
                    leaves.append(.addU32(spec))
                }
            }
            undo += tables
            undo += leaves
            undo += links
            undo += roots
        }
        return [PlannedOperation(operation: .deleteQdisc(KernelSpecs.qdisc(clsact, device: device)), undo: undo)]
    }

    /// An IFB created, marked and brought up as needed.
    func ensureIFB(_ name: String, existing: NetworkInterface?, alias: String) -> [PlannedOperation] {
        guard let existing else {
            return [PlannedOperation(operation: .createIFB(name), undo: [.deleteLink(name)]),
                    PlannedOperation(operation: .markIFB(name, alias: alias), undo: []),
                    PlannedOperation(operation: .bringUp(name), undo: [])]
        }
        var operations: [PlannedOperation] = []
        if existing.alias != alias {
            operations.append(PlannedOperation(operation: .markIFB(name, alias: alias),
                                               undo: [.markIFB(name, alias: existing.alias ?? "")]))
        }
        if !existing.isUp { operations.append(PlannedOperation(operation: .bringUp(name), undo: [])) }
        return operations
    }

    /// Deleting one of our IFBs; undone by re-creating it with its root TBF.
    func ifbRemoval(_ ifb: NetworkInterface, qdiscs: [KernelQdisc], alias: String) -> PlannedOperation {
        var undo: [TrafficControlOperation] = [.createIFB(ifb.name), .markIFB(ifb.name, alias: ifb.alias ?? alias),
                                               .bringUp(ifb.name)]
        for qdisc in qdiscs where qdisc.parent == .root && Ownership.owns(qdisc.handle) {
            undo += removal(of: qdisc, device: ifb.name).undo
        }
        return PlannedOperation(operation: .deleteLink(ifb.name), undo: undo)
    }

    /// The upload IFB, like the download one, must be an IFB marked for this interface with no one else's root.
    func checkIFB(named name: String, _ ifb: NetworkInterface?, qdiscs: [KernelQdisc], observed: ObservedState)
        throws(ReconcileError)
    {
        guard let ifb else { return }
        guard ifb.kind == "ifb" else { throw .foreignDevice(name: ifb.name, kind: ifb.kind) }
        if let alias = ifb.alias, !alias.isEmpty {
            guard let served = Ownership.servedInterface(alias: alias), served.index == observed.interface.index else {
                throw .foreignIFB(name: ifb.name, alias: alias)
            }
        }
        if let root = qdiscs.first(where: { $0.parent == .root }), !Ownership.owns(root.handle),
            !ObservedState.isDefaultRoot(root)
        {
            throw .foreignRootOnIFB(name: ifb.name, kind: root.kind, handle: root.handle)
        }
    }
}
