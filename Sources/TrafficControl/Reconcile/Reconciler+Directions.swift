/// Upload (the interface's own root) and download (IFB, ingress qdisc, redirect filters).
extension Reconciler {
    func shapeUpload(_ upload: DirectionPlan, observed: ObservedState, force: Bool)
        throws(ReconcileError) -> ([PlannedOperation], QdiscSpec?)
    {
        var foreign: KernelQdisc?
        if let root = observed.root, !Ownership.owns(root.handle), !ObservedState.isDefaultRoot(root) {
            guard force else {
                throw .foreignRoot(interface: observed.interface.name, kind: root.kind, handle: root.handle)
            }
            foreign = root
        }
        let operations = converge(upload, qdiscs: observed.qdiscs, replacing: foreign)
        return (operations, foreign.map { KernelSpecs.recorded($0, device: observed.interface.name) })
    }

    func unshapeUpload(observed: ObservedState, recordedRoot: QdiscSpec?) -> ([PlannedOperation], Bool) {
        guard let root = observed.root, Ownership.owns(root.handle) else { return ([], false) }
        let device = observed.interface.name
        if let recordedRoot {
            let ours = removal(of: root, device: device).undo
            return ([PlannedOperation(operation: .replaceQdisc(recordedRoot), undo: ours.map(Self.asReplacement))], true)
        }
        return ([removal(of: root, device: device)], false)
    }

    func shapeDownload(_ download: DirectionPlan, observed: ObservedState) -> [PlannedOperation] {
        var operations: [PlannedOperation] = []
        let ifb = observed.ifbName
        if observed.ifb == nil {
            operations.append(PlannedOperation(operation: .createIFB(ifb), undo: [.deleteLink(ifb)]))
            operations.append(PlannedOperation(operation: .bringUp(ifb), undo: []))
        } else if observed.ifb?.isUp == false {
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

    func unshapeDownload(observed: ObservedState) -> [PlannedOperation] {
        var operations: [PlannedOperation] = []
        let device = observed.interface.name
        if let ingress = observed.ingress {
            let parent = ObservedState.filterParent(for: ingress)
            var removed = Set<UInt16>()
            for filter in observed.ownFilters where !removed.contains(filter.priority) {
                removed.insert(filter.priority)
                let spec = RedirectFilterSpec(device: device, parent: parent, ethertype: filter.ethertype,
                                              priority: filter.priority, target: observed.ifbName)
                operations.append(PlannedOperation(operation: .deleteFilter(spec), undo: [.addFilter(spec)]))
            }
            // An ingress qdisc with no filters left is of no use to anyone: remove it (never a clsact).
            let othersRemain = observed.ingressFilters.contains { !removed.contains($0.priority) }
            if ingress.kind == "ingress" && !othersRemain && !removed.isEmpty {
                let spec = KernelSpecs.qdisc(ingress, device: device)
                operations.append(PlannedOperation(operation: .deleteQdisc(spec), undo: [.addQdisc(spec)]))
            }
        }
        if let ifb = observed.ifb {
            var undo: [TrafficControlOperation] = [.createIFB(ifb.name), .bringUp(ifb.name)]
            for qdisc in observed.ifbQdiscs where qdisc.parent == .root && Ownership.owns(qdisc.handle) {
                undo += removal(of: qdisc, device: ifb.name).undo
            }
            operations.append(PlannedOperation(operation: .deleteLink(ifb.name), undo: undo))
        }
        return operations
    }

    /// An add turned into a replace (putting ours back in place of a restored root).
    static func asReplacement(_ operation: TrafficControlOperation) -> TrafficControlOperation {
        if case .addQdisc(let spec) = operation { return .replaceQdisc(spec) }
        return operation
    }
}
