import ThrottlePolicy
import TokenBucket
import TrafficSelection

/// Builds a ``ShapingPlan`` from the window in force, the interface's facts, and the token-bucket maths.
public struct ShapingPlanner: Sendable {
    public var mode: ShapingMode
    public var clock: PacketSchedulerClock

    public init(mode: ShapingMode = .safe, clock: PacketSchedulerClock = .highResolution) {
        self.mode = mode
        self.clock = clock
    }

    /// The plan for `window` on `interface`.
    ///
    /// Each window's bucket and queue are sized for its own rate, so a slow window queues only as long as its
    /// rate needs. A transition to a smaller bucket is made safe by the ``Reconciler`` (a new TBF is grafted in
    /// one step), not by oversizing the slow window.
    ///
    /// With a `selection`, only the selected traffic is shaped and the interface's root qdisc is never touched:
    /// a `clsact` qdisc on the interface, u32 hash tables on its egress hook that redirect packets to a
    /// selected destination to the upload IFB (``Ownership/uploadIFBName(forIndex:)``), and on its ingress hook
    /// packets from a selected source to the download IFB; each IFB's root is the direction's TBF. Packets
    /// that match nothing pass untouched.
    /// - Parameters:
    ///   - selection: the traffic to shape; `nil` shapes the whole interface, as before.
    ///   - sizedFor: with ``BucketSizing/fastestWindow``, the fastest rate of each direction: the window's
    ///     bucket and limit are those of that rate (the window's own rate is kept), so no switch shrinks a bucket.
    /// - Throws: ``TokenBucketError`` when a rate cannot be shaped (checked before anything is written).
    public func plan(window: Window, interface: NetworkInterface, selection: TrafficSelection? = nil,
                     sizedFor: BucketSizingRates = .own)
        throws(TokenBucketError) -> ShapingPlan
    {
        let ifb = Ownership.ifbName(forIndex: interface.index)
        var plan = ShapingPlan(interface: interface.name, ifbName: ifb, upload: nil, download: nil, window: window,
                               mode: mode)
        let uploadIFB = Ownership.uploadIFBName(forIndex: interface.index)
        if let selection {
            plan.selection = SelectionPlan(uploadIFB: uploadIFB, trees: [], ports: selection.ports,
                                           prefixCounts: selection.countsAfterMerging)
        }
        guard window.kind != .unthrottled else { return plan }
        if mode == .safe {
            // The MTU comes from the kernel (lo and IFB accept up to 2^31−1): check it first, so an error names
            // its cause rather than a derived burst.
            try ShapingLimits.checkMTU(interface.mtu, what: "\(interface.name)'s MTU")
        }
        if let bits = window.bandwidth.bitsPerSecond {
            plan.upload = try direction(device: selection == nil ? interface.name : uploadIFB, bits: bits,
                                        mtu: interface.mtu, sizedFor: sizedFor.upload)
        }
        if let bits = window.allowance.download.bitsPerSecond {
            plan.download = try direction(device: ifb, bits: bits, mtu: interface.mtu, sizedFor: sizedFor.download)
        }
        if let selection {
            plan.selection?.trees = Self.trees(selection, upload: plan.upload != nil ? uploadIFB : nil,
                                               download: plan.download != nil ? ifb : nil)
        }
        return plan
    }

    /// The u32 trees of `selection`: per family with prefixes, on egress when upload is shaped and on ingress
    /// when download is.
    static func trees(_ selection: TrafficSelection, upload: String?, download: String?) -> [SelectionTree] {
        var trees: [SelectionTree] = []
        // A family's layout does not depend on the hook: laid out once, used on both.
        let layouts = AddressFamily.allCases.compactMap { family -> HashLayout? in
            let prefixes = selection.remote.prefixes(of: family)
            return prefixes.isEmpty || (upload == nil && download == nil) ? nil
                : HashLayout(family: family, prefixes: prefixes)
        }
        for (hook, target) in [(ClsactHook.egress, upload), (.ingress, download)] {
            guard let target else { continue }
            for layout in layouts {
                trees.append(SelectionTreeBuilder.tree(layout: layout, ports: selection.ports, hook: hook,
                                                       target: target))
            }
        }
        return trees
    }

    /// One direction at `bits` per second. Safe mode: a burst of two frames or 5 ms, a queue of 50 ms.
    /// A `request` overrides the defaults (tc mode needs a burst and a latency or limit, as tc does).
    public func direction(device: String, bits: UInt64, mtu: UInt32, request: TBFRequest? = nil)
        throws(TokenBucketError) -> DirectionPlan
    {
        let tbfRequest = request ?? TBFRequest(bitsPerSecond: bits, mtu: mtu)
        return DirectionPlan(device: device, tbf: try TBFParameters(tbfRequest, mode: mode, clock: clock))
    }

    /// One direction at `bits` per second with the bucket and limit the defaults give `sizedFor` (when it is
    /// given and differs): ``BucketSizing/fastestWindow``.
    func direction(device: String, bits: UInt64, mtu: UInt32, sizedFor: UInt64?) throws(TokenBucketError)
        -> DirectionPlan
    {
        guard let sizedFor, sizedFor != bits else { return try direction(device: device, bits: bits, mtu: mtu) }
        // The window's own rate is checked as usual (so an unshapeable rate names itself), then moved.
        _ = try direction(device: device, bits: bits, mtu: mtu)
        let fastest = try TBFParameters(TBFRequest(bitsPerSecond: sizedFor, mtu: mtu), mode: mode, clock: clock)
        return DirectionPlan(device: device, tbf: try fastest.atRate(bits, clock: clock))
    }
}
