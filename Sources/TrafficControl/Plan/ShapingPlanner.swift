import ThrottlePolicy
import TokenBucket

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
    /// - Throws: ``TokenBucketError`` when a rate cannot be shaped (checked before anything is written).
    public func plan(window: Window, interface: NetworkInterface) throws(TokenBucketError) -> ShapingPlan {
        let ifb = Ownership.ifbName(forIndex: interface.index)
        var plan = ShapingPlan(interface: interface.name, ifbName: ifb, upload: nil, download: nil, window: window,
                               mode: mode)
        guard window.kind != .unthrottled else { return plan }
        if mode == .safe {
            // The MTU comes from the kernel (lo and IFB accept up to 2^31−1): check it first, so an error names
            // its cause rather than a derived burst.
            try ShapingLimits.checkMTU(interface.mtu, what: "\(interface.name)'s MTU")
        }
        if let bits = window.bandwidth.bitsPerSecond {
            plan.upload = try direction(device: interface.name, bits: bits, mtu: interface.mtu)
        }
        if let bits = window.allowance.download.bitsPerSecond {
            plan.download = try direction(device: ifb, bits: bits, mtu: interface.mtu)
        }
        return plan
    }

    /// One direction at `bits` per second. Safe mode: a burst of one frame or 5 ms, a queue of 50 ms.
    /// A `request` overrides the defaults (tc mode needs a burst and a latency or limit, as tc does).
    public func direction(device: String, bits: UInt64, mtu: UInt32, request: TBFRequest? = nil)
        throws(TokenBucketError) -> DirectionPlan
    {
        let tbfRequest = request ?? TBFRequest(bitsPerSecond: bits, mtu: mtu)
        return DirectionPlan(device: device, tbf: try TBFParameters(tbfRequest, mode: mode, clock: clock))
    }
}
