import TokenBucket

/// Why a plan cannot be carried out as it stands.
public enum ReconcileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Someone else's root qdisc is on the interface; replacing it needs `--force`.
    case foreignRoot(interface: String, kind: String, handle: TrafficControlHandle)
    /// A device that is not an IFB has the name throttlectl's IFB would have; it is never touched.
    case foreignDevice(name: String, kind: String?)

    public var description: String {
        switch self {
        case .foreignRoot(let interface, let kind, let handle):
            return "\(interface) has a root qdisc that is not throttlectl's (\(kind), handle \(handle)); it is left "
                + "alone. Use --force to replace it: it is recorded, and `throttlectl clear` puts it back."
        case .foreignDevice(let name, let kind):
            return "a device named \(name) exists and is not an IFB (\(kind ?? "no link type")); throttlectl would "
                + "use that name for its download shaping and leaves the device alone. Rename or remove it."
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
        if let ifb = observed.ifb, ifb.kind != "ifb" {
            throw .foreignDevice(name: ifb.name, kind: ifb.kind)
        }
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
