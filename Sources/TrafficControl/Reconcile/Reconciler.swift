/// Why a plan cannot be carried out as it stands.
public enum ReconcileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Someone else's root qdisc is on the interface; replacing it needs `--force`.
    case foreignRoot(interface: String, kind: String, handle: TrafficControlHandle)

    public var description: String {
        switch self {
        case .foreignRoot(let interface, let kind, let handle):
            return "\(interface) has a root qdisc that is not throttlectl's (\(kind), handle \(handle)); it is left "
                + "alone. Use --force to replace it: it is recorded, and `throttlectl clear` puts it back."
        }
    }
}

/// The fewest operations that take the observed state to the plan, touching only what is ours.
public struct Reconciliation: Hashable, Sendable {
    public var operations: [PlannedOperation]
    /// A foreign root qdisc that these operations replace (to be recorded for `clear`).
    public var replacedForeignRoot: QdiscSpec?
    /// True when the operations put a recorded foreign root back.
    public var restoresRecordedRoot: Bool
}

/// Diffs a ``ShapingPlan`` against an ``ObservedState``.
public struct Reconciler: Sendable {
    public init() {}

    /// The operations for `plan`, or for removing everything of ours when `plan` is `nil` (`clear`).
    /// - Parameters:
    ///   - recordedRoot: a foreign root replaced earlier with `--force`, to put back when the upload side is
    ///     no longer shaped.
    ///   - force: replace a foreign root qdisc instead of refusing.
    public func reconcile(plan: ShapingPlan?, observed: ObservedState, recordedRoot: QdiscSpec?, force: Bool)
        throws(ReconcileError) -> Reconciliation
    {
        var result = Reconciliation(operations: [], replacedForeignRoot: nil, restoresRecordedRoot: false)
        if let download = plan?.download {
            result.operations += shapeDownload(download, observed: observed)
        } else {
            result.operations += unshapeDownload(observed: observed)
        }
        if let upload = plan?.upload {
            let (operations, replaced) = try shapeUpload(upload, observed: observed, force: force)
            result.operations += operations
            result.replacedForeignRoot = replaced
        } else {
            let (operations, restores) = unshapeUpload(observed: observed, recordedRoot: recordedRoot)
            result.operations += operations
            result.restoresRecordedRoot = restores
        }
        return result
    }

    // MARK: - One HTB tree (root, class, leaf) on a device

    static func desiredTree(_ direction: DirectionPlan) -> (QdiscSpec, ClassSpec, QdiscSpec) {
        let htb = direction.htb
        let root = QdiscSpec(device: direction.device, handle: Ownership.rootHandle, parent: .root,
                             configuration: .htbRoot(r2q: htb.request.r2q, defaultClass: UInt32(Ownership.classHandle.minor)))
        let trafficClass = ClassSpec(
            device: direction.device, handle: Ownership.classHandle, parent: Ownership.rootHandle,
            htb: HTBClassSetting(rate: htb.rate.bytesPerSecond, ceil: htb.ceil.bytesPerSecond, bufferTicks: htb.bufferTicks,
                                 cbufferTicks: htb.cbufferTicks, quantum: htb.kernelQuantum, prio: 0))
        let leaf = QdiscSpec(device: direction.device, handle: Ownership.leafHandle, parent: Ownership.classHandle,
                             configuration: .fifo(limitPackets: direction.leafLimitPackets))
        return (root, trafficClass, leaf)
    }

    /// Operations that make `qdiscs`/`classes` on a device hold exactly the desired tree, given that the
    /// root there is ours or the kernel's default.
    func converge(_ direction: DirectionPlan, qdiscs: [KernelQdisc], classes: [KernelClass],
                          replacing foreignRoot: KernelQdisc?) -> [PlannedOperation] {
        let (root, trafficClass, leaf) = Self.desiredTree(direction)
        let device = direction.device
        let observedRoot = qdiscs.first { $0.parent == .root && $0.handle == Ownership.rootHandle }
        var operations: [PlannedOperation] = []
        let rootMatches = observedRoot.map { KernelSpecs.qdisc($0, device: device) == root } ?? false
        if !rootMatches {
            if let foreignRoot {
                let previous = KernelSpecs.recorded(foreignRoot, device: device)
                operations.append(PlannedOperation(operation: .replaceQdisc(root), undo: [.replaceQdisc(previous)]))
            } else {
                if let observedRoot {  // ours, but with other root settings: HTB cannot change them in place
                    operations.append(removal(of: observedRoot, classes: classes, qdiscs: qdiscs, device: device))
                }
                operations.append(PlannedOperation(operation: .addQdisc(root), undo: [.deleteQdisc(root)]))
            }
            operations.append(PlannedOperation(operation: .addClass(trafficClass), undo: [.deleteClass(trafficClass)]))
            operations.append(PlannedOperation(operation: .addQdisc(leaf), undo: [.deleteQdisc(leaf)]))
            return operations
        }
        let observedClass = classes.first { $0.handle == Ownership.classHandle }.flatMap {
            KernelSpecs.trafficClass($0, device: device)
        }
        switch observedClass {
        case .none:
            operations.append(PlannedOperation(operation: .addClass(trafficClass), undo: [.deleteClass(trafficClass)]))
        case .some(let current) where current != trafficClass:
            operations.append(PlannedOperation(operation: .changeClass(trafficClass), undo: [.changeClass(current)]))
        default:
            break
        }
        let observedLeaf = qdiscs.first { $0.handle == Ownership.leafHandle }.map { KernelSpecs.qdisc($0, device: device) }
        switch observedLeaf {
        case .none:
            operations.append(PlannedOperation(operation: .addQdisc(leaf), undo: [.deleteQdisc(leaf)]))
        case .some(let current) where current != leaf:
            operations.append(PlannedOperation(operation: .changeQdisc(leaf), undo: [.changeQdisc(current)]))
        default:
            break
        }
        return operations
    }

    /// Deleting our root qdisc (its class and leaf go with it); undone by re-adding all three as they were.
    func removal(of root: KernelQdisc, classes: [KernelClass], qdiscs: [KernelQdisc], device: String)
        -> PlannedOperation
    {
        let rootSpec = KernelSpecs.qdisc(root, device: device)
        var undo: [TrafficControlOperation] = [.addQdisc(rootSpec)]
        for trafficClass in classes where Ownership.owns(trafficClass.handle) {
            if let spec = KernelSpecs.trafficClass(trafficClass, device: device) { undo.append(.addClass(spec)) }
        }
        for leaf in qdiscs where leaf.handle == Ownership.leafHandle {
            undo.append(.addQdisc(KernelSpecs.qdisc(leaf, device: device)))
        }
        return PlannedOperation(operation: .deleteQdisc(rootSpec), undo: undo)
    }
}
