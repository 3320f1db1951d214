import TokenBucket

/// Why a plan cannot be carried out as it stands.
public enum ReconcileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Someone else's root qdisc is on the interface; replacing it needs `--force`.
    case foreignRoot(interface: String, kind: String, handle: TrafficControlHandle)
    /// Someone else's classful root (or a root with children): never replaced, even with `--force`.
    case classfulRoot(interface: String, kind: String, handle: TrafficControlHandle)
    /// Someone else's root of a kind throttlectl cannot put back faithfully: never replaced.
    case unrestorableRoot(interface: String, kind: String, handle: TrafficControlHandle)
    /// A device that is not an IFB has the name throttlectl's IFB would have; it is never touched.
    case foreignDevice(name: String, kind: String?)
    /// An IFB with throttlectl's name whose alias is not throttlectl's marker for this interface.
    case foreignIFB(name: String, alias: String)
    /// Someone else's root qdisc on throttlectl's IFB.
    case foreignRootOnIFB(name: String, kind: String, handle: TrafficControlHandle)
    /// An ingress qdisc with someone else's filters where a selection needs a clsact qdisc.
    case foreignIngress(interface: String)
    /// A selection needs more u32 tables than its id range holds.
    case tooManyTables(interface: String, needed: Int, available: Int)

    public var description: String {
        switch self {
        case .foreignRoot(let interface, let kind, let handle):
            return "\(interface) has a root qdisc that is not throttlectl's (\(kind), handle \(handle)); it is left "
                + "alone. Use --force to replace it: it is recorded, and `throttlectl clear` puts it back."
        case .classfulRoot(let interface, let kind, let handle):
            return "\(interface): the root qdisc \(kind) \(handle) has classes/children; throttlectl will not replace "
                + "a classful tree (--force replaces only a classless root such as pfifo, bfifo, pfifo_fast or "
                + "tbf); nothing was changed"
        case .unrestorableRoot(let interface, let kind, let handle):
            return "\(interface): throttlectl cannot put a \(kind) root qdisc (handle \(handle)) back faithfully, so it "
                + "will not replace it, even with --force (replaceable: "
                + "\(Ownership.restorableRootKinds.sorted().joined(separator: ", "))); nothing was changed"
        case .foreignDevice(let name, let kind):
            return "a device named \(name) exists and is not an IFB (\(kind ?? "no link type")); throttlectl would "
                + "use that name for its download shaping and leaves the device alone. Rename or remove it."
        case .foreignIFB(let name, let alias):
            return "the IFB \(name) is marked \"\(alias)\", not as throttlectl's IFB for this interface; it is left "
                + "alone. Rename or remove it; nothing was changed"
        case .foreignRootOnIFB(let name, let kind, let handle):
            return "throttlectl's IFB \(name) has a root qdisc that is not throttlectl's (\(kind), handle \(handle)); "
                + "it is left alone and nothing was changed. Remove that qdisc to let throttlectl manage \(name)"
        case .foreignIngress(let interface):
            return "\(interface) has an ingress qdisc with filters that are not throttlectl's; shaping selected traffic "
                + "needs a clsact qdisc in its place, so nothing was changed. Move those filters to a clsact qdisc "
                + "(tc qdisc add dev \(interface) clsact) or shape the whole interface"
        case .tooManyTables(let interface, let needed, let available):
            return "\(interface): the selection needs \(needed) u32 tables in one family and direction, more than the "
                + "\(available) throttlectl may use; nothing was changed. Select fewer or shorter prefixes"
        }
    }
}

/// What the state directory's record of a replaced foreign root should become once the operations succeed.
public enum RecordChange: Hashable, Sendable {
    /// Leave it as it is (or absent).
    case keep
    /// Record this root before writing anything (`--force` replaces it).
    case write(QdiscSpec)
    /// The record has done its job (`clear` put the root back, or it is no longer ours to restore).
    case forget
}

/// The fewest operations that take the observed state to the plan, touching only what is ours.
public struct Reconciliation: Hashable, Sendable {
    public var operations: [PlannedOperation]
    /// What happens to the record of a foreign root.
    public var record: RecordChange
}

/// Diffs a ``ShapingPlan`` against an ``ObservedState``.
///
/// A foreign root replaced with `--force` stays recorded until `clear`: a window with unlimited upload puts
/// it back and keeps the record, and a later limited window replaces it again without `--force` as long as
/// it is still exactly the recorded one. So cron runs converge whatever the order of the windows.
public struct Reconciler: Sendable {
    public init() {}

    /// The operations for `plan`, or for removing everything of ours when `plan` is `nil` (`clear`).
    /// - Parameters:
    ///   - recordedRoot: a foreign root replaced earlier with `--force`, to put back when the upload side is
    ///     no longer shaped.
    ///   - force: replace a foreign (classless, restorable) root qdisc instead of refusing.
    public func reconcile(plan: ShapingPlan?, observed: ObservedState, recordedRoot: QdiscSpec?, force: Bool)
        throws(ReconcileError) -> Reconciliation
    {
        try checkIFB(observed)
        if let plan, let selection = plan.selection {
            return try reconcileSelection(plan, selection, observed: observed, recordedRoot: recordedRoot)
        }
        try checkIFB(named: observed.uploadIFBName, observed.uploadIFB, qdiscs: observed.uploadIFBQdiscs,
                     observed: observed)
        var result = Reconciliation(operations: [], record: .keep)
        var last: [PlannedOperation] = []
        let devices = Devices(observed)
        let emptiedClsact = plan == nil ? removeClsactIfEmpty(observed) : []
        if let download = plan?.download {
            result.operations += shapeDownload(download, observed: observed)
        } else {
            let (filters, ifb) = unshapeDownload(observed: observed)
            result.operations += emptiedClsact.isEmpty ? filters : emptiedClsact
            last = ifb
        }
        // A selection's trees (whole-interface mode or clear), unless the clsact qdisc goes with them.
        if emptiedClsact.isEmpty {
            try removeTrees(observed, devices: devices, into: &result.operations) { _, _ in true }
        }
        if let ifb = observed.uploadIFB {
            last.append(ifbRemoval(ifb, qdiscs: observed.uploadIFBQdiscs,
                                   alias: Ownership.uploadIFBAlias(interface: observed.interface.name,
                                                                   index: observed.interface.index)))
        }
        if let upload = plan?.upload {
            let (operations, record) = try shapeUpload(upload, observed: observed, recordedRoot: recordedRoot,
                                                       force: force)
            result.operations += operations
            result.record = record
        } else {
            let (operations, record) = unshapeUpload(observed: observed, recordedRoot: recordedRoot,
                                                     clearing: plan == nil)
            result.operations += operations
            result.record = record
        }
        result.operations += last
        return result
    }

    /// The IFB with our name must be an IFB, marked as ours for this interface (or not yet marked), with no
    /// one else's root qdisc on it.
    func checkIFB(_ observed: ObservedState) throws(ReconcileError) {
        guard let ifb = observed.ifb else { return }
        guard ifb.kind == "ifb" else { throw .foreignDevice(name: ifb.name, kind: ifb.kind) }
        if let alias = ifb.alias, !alias.isEmpty {
            guard let served = Ownership.servedInterface(alias: alias), served.index == observed.interface.index else {
                throw .foreignIFB(name: ifb.name, alias: alias)
            }
        }
        if let root = observed.ifbQdiscs.first(where: { $0.parent == .root }), !Ownership.owns(root.handle),
            !ObservedState.isDefaultRoot(root)
        {
            throw .foreignRootOnIFB(name: ifb.name, kind: root.kind, handle: root.handle)
        }
    }

    // MARK: - One root TBF on a device

    static func desiredRoot(_ direction: DirectionPlan, handle: TrafficControlHandle = Ownership.rootHandle) -> QdiscSpec {
        QdiscSpec(device: direction.device, handle: handle, parent: .root, configuration: .tbf(direction.setting))
    }

    /// Operations that put the desired root TBF on a device whose root is ours, the kernel's default, or
    /// (with `--force`) `foreignRoot`.
    func converge(_ direction: DirectionPlan, qdiscs: [KernelQdisc], replacing foreignRoot: KernelQdisc?)
        -> [PlannedOperation]
    {
        let device = direction.device
        guard let observed = qdiscs.first(where: { $0.parent == .root && Ownership.owns($0.handle) }) else {
            let desired = Self.desiredRoot(direction)
            if let foreignRoot {
                let previous = KernelSpecs.recorded(foreignRoot, device: device)
                return [PlannedOperation(operation: .replaceQdisc(desired), undo: [.replaceQdisc(previous)])]
            }
            return [PlannedOperation(operation: .addQdisc(desired), undo: [.deleteQdisc(desired)])]
        }
        let desired = Self.desiredRoot(direction, handle: observed.handle)
        let current = KernelSpecs.qdisc(observed, device: device)
        switch current.configuration {
        case .tbf(let setting):
            guard !setting.matches(direction.setting) else { return [] }
            var previous = current
            let previousBurst = Self.burst(forTicks: setting.bufferTicks, rate: setting.rate)
            previous.configuration = .tbf(TBFSetting(rate: setting.rate, limit: setting.limit,
                                                     bufferTicks: setting.bufferTicks, burst: previousBurst))
            if direction.setting.burst >= previousBurst {
                // tbf_change keeps the queue and the counters: the rate moves in place.
                return [PlannedOperation(operation: .changeQdisc(desired), undo: [.changeQdisc(previous)])]
            }
            // A smaller bucket would strand queued packets larger than it (TBF sends only what fits): graft a
            // new TBF under the other handle instead, in one step, so that no moment is unshaped.
            let swapped = Self.desiredRoot(direction, handle: observed.handle == Ownership.rootHandle
                ? Ownership.alternateRootHandle : Ownership.rootHandle)
            return [PlannedOperation(operation: .replaceQdisc(swapped), undo: [.replaceQdisc(previous)])]
        default:
            // Ours but of another kind (an older layout): renew it.
            return [removal(of: observed, device: device),
                    PlannedOperation(operation: .addQdisc(desired), undo: [.deleteQdisc(desired)])]
        }
    }

    /// A bucket in bytes for which the kernel computes exactly `ticks` again at `rate`: to undo a change the
    /// burst must be sent, and the kernel reports only ticks (of 64 ns: PSCHED_SHIFT has been 6 since 2.6.31).
    static func burst(forTicks ticks: UInt32, rate: UInt64) -> UInt32 {
        let kernelRate = KernelRate(bytesPerSecond: rate)
        let estimate = Int64(kernelRate.bytes(sentIn: UInt64(ticks) * 64))
        for delta: Int64 in [0, 1, -1, 2, -2, 3, -3] {
            let candidate = estimate + delta
            guard candidate > 0, candidate <= Int64(UInt32.max) else { continue }
            if kernelRate.nanoseconds(toSend: UInt32(candidate)) / 64 == UInt64(ticks) { return UInt32(candidate) }
        }
        return UInt32(clamping: estimate)
    }

    /// Deleting our root qdisc; undone by adding it back as it was reported.
    func removal(of root: KernelQdisc, device: String) -> PlannedOperation {
        var spec = KernelSpecs.qdisc(root, device: device)
        if case .tbf(var setting) = spec.configuration {
            setting.burst = Self.burst(forTicks: setting.bufferTicks, rate: setting.rate)
            spec.configuration = .tbf(setting)
        }
        return PlannedOperation(operation: .deleteQdisc(spec), undo: [.addQdisc(spec)])
    }
}
