/// Upload (the interface's own root) and download (IFB, ingress qdisc, redirect filters).
extension Reconciler {
    func shapeUpload(_ upload: DirectionPlan, observed: ObservedState, recordedRoot: QdiscSpec?, force: Bool)
        throws(ReconcileError) -> ([PlannedOperation], RecordChange)
    {
        var foreign: KernelQdisc?
        var record = RecordChange.keep
        if let root = observed.root, !Ownership.owns(root.handle), !ObservedState.isDefaultRoot(root) {
            let name = observed.interface.name
            if let refusal = Self.refusal(root: root, observed: observed) { throw refusal }
            let spec = KernelSpecs.recorded(root, device: name)
            // The root recorded under --force and put back by an unlimited window is still ours to replace.
            let isRecorded = recordedRoot == spec
            guard force || isRecorded else { throw .foreignRoot(interface: name, kind: root.kind, handle: root.handle) }
            foreign = root
            record = isRecorded ? .keep : .write(spec)
        }
        return (converge(upload, qdiscs: observed.qdiscs, replacing: foreign), record)
    }

    /// Why a foreign root must not be replaced even with `--force`, if it must not.
    static func refusal(root: KernelQdisc, observed: ObservedState) -> ReconcileError? {
        let name = observed.interface.name
        let children = observed.qdiscs.contains {
            $0 != root && $0.parent != .ingressParent && $0.parent.major == root.handle.major
        }
        if Ownership.classfulRootKinds.contains(root.kind) || children {
            return .classfulRoot(interface: name, kind: root.kind, handle: root.handle)
        }
        if !Ownership.restorableRootKinds.contains(root.kind) {
            return .unrestorableRoot(interface: name, kind: root.kind, handle: root.handle)
        }
        return nil
    }

    /// Removing our root; with a recorded foreign root, putting that back instead. `clear` forgets the record
    /// afterwards; an unlimited window keeps it, so that the next limited window may replace the root again.
    func unshapeUpload(observed: ObservedState, recordedRoot: QdiscSpec?, clearing: Bool)
        -> ([PlannedOperation], RecordChange)
    {
        let forget: RecordChange = clearing && recordedRoot != nil ? .forget : .keep
        guard let root = observed.root, Ownership.owns(root.handle) else { return ([], forget) }
        let device = observed.interface.name
        if let recordedRoot {
            let ours = removal(of: root, device: device).undo
            return ([PlannedOperation(operation: .replaceQdisc(recordedRoot), undo: ours.map(Self.asReplacement))],
                    forget)
        }
        return ([removal(of: root, device: device)], forget)
    }

    func shapeDownload(_ download: DirectionPlan, observed: ObservedState) -> [PlannedOperation] {
        var operations: [PlannedOperation] = []
        let ifb = observed.ifbName
        let alias = Ownership.ifbAlias(interface: observed.interface.name, index: observed.interface.index)
        if let existing = observed.ifb {
            if existing.alias != alias {
                // Unmarked (a run killed between create and mark), or marked under the interface's old name.
                operations.append(PlannedOperation(operation: .markIFB(ifb, alias: alias),
                                                   undo: [.markIFB(ifb, alias: existing.alias ?? "")]))
            }
            if !existing.isUp { operations.append(PlannedOperation(operation: .bringUp(ifb), undo: [])) }
        } else {
            operations.append(PlannedOperation(operation: .createIFB(ifb), undo: [.deleteLink(ifb)]))
            operations.append(PlannedOperation(operation: .markIFB(ifb, alias: alias), undo: []))
            operations.append(PlannedOperation(operation: .bringUp(ifb), undo: []))
        }
        operations += converge(download, qdiscs: observed.ifbQdiscs, replacing: nil)

        let device = observed.interface.name
        let parent: TrafficControlHandle
        if let ingress = observed.ingress {
            parent = ObservedState.filterParent(for: ingress)
        } else {
            let spec = QdiscSpec(device: device, handle: .ingress, parent: .ingressParent, configuration: .ingress)
            operations.append(PlannedOperation(operation: .addQdisc(spec), undo: [.deleteQdisc(spec)]))
            parent = .ingress
        }
        let wanted = [(UInt16(0x0800), Ownership.ipv4FilterPriority), (UInt16(0x86DD), Ownership.ipv6FilterPriority)]
        for (ethertype, priority) in wanted {
            let spec = RedirectFilterSpec(device: device, parent: parent, ethertype: ethertype, priority: priority, target: ifb)
            let present = observed.ownFilters.filter { $0.priority == priority }
            let correct = present.count == 1 && present[0].ethertype == ethertype && observed.ifb != nil
                && present[0].redirectIndex == observed.ifb?.index
            if correct { continue }
            if !present.isEmpty {
                let old = RedirectFilterSpec(device: device, parent: parent, ethertype: present[0].ethertype,
                                             priority: priority, target: ifb)
                operations.append(PlannedOperation(operation: .deleteFilter(old), undo: [.addFilter(old)]))
            }
            operations.append(PlannedOperation(operation: .addFilter(spec), undo: [.deleteFilter(spec)]))
        }
        return operations
    }

    /// Removing the download side: our filters (with the ingress qdisc, in one step, when no one else's
    /// filters hang there: deleting the qdisc takes its filters along, so no run killed in between can leave
    /// an empty ingress qdisc that no longer looks like ours), then the IFB.
    ///
    /// The IFB is returned apart, so that its deletion goes last: an IFB re-created by a rollback would get
    /// a new random MAC address, so no earlier failure should ever have to re-create it.
    func unshapeDownload(observed: ObservedState) -> (filters: [PlannedOperation], ifb: [PlannedOperation]) {
        var operations: [PlannedOperation] = []
        let device = observed.interface.name
        if let ingress = observed.ingress {
            let parent = ObservedState.filterParent(for: ingress)
            var specs: [RedirectFilterSpec] = []
            for filter in observed.ownFilters where !specs.contains(where: { $0.priority == filter.priority }) {
                specs.append(RedirectFilterSpec(device: device, parent: parent, ethertype: filter.ethertype,
                                                priority: filter.priority, target: observed.ifbName))
            }
            let othersRemain = observed.ingressFilters.contains { filter in
                !specs.contains { $0.priority == filter.priority }
            }
            if ingress.kind == "ingress" && !othersRemain && !specs.isEmpty {
                let spec = KernelSpecs.qdisc(ingress, device: device)
                operations.append(PlannedOperation(operation: .deleteQdisc(spec),
                                                   undo: [.addQdisc(spec)] + specs.map { .addFilter($0) }))
            } else {
                operations += specs.map { PlannedOperation(operation: .deleteFilter($0), undo: [.addFilter($0)]) }
            }
        }
        var ifbOperations: [PlannedOperation] = []
        if let ifb = observed.ifb {
            let alias = ifb.alias ?? Ownership.ifbAlias(interface: device, index: observed.interface.index)
            var undo: [TrafficControlOperation] = [.createIFB(ifb.name), .markIFB(ifb.name, alias: alias),
                                                   .bringUp(ifb.name)]
            for qdisc in observed.ifbQdiscs where qdisc.parent == .root && Ownership.owns(qdisc.handle) {
                undo += removal(of: qdisc, device: ifb.name).undo
            }
            ifbOperations.append(PlannedOperation(operation: .deleteLink(ifb.name), undo: undo))
        }
        return (operations, ifbOperations)
    }

    /// An add turned into a replace (putting ours back in place of a restored root).
    static func asReplacement(_ operation: TrafficControlOperation) -> TrafficControlOperation {
        if case .addQdisc(let spec) = operation { return .replaceQdisc(spec) }
        return operation
    }
}
