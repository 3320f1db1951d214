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
    /// - Parameter fastest: the schedule's highest upload and download rates: every window's bucket is sized
    ///   for them, so that a transition never shrinks a bucket under packets already queued.
    /// - Throws: ``TokenBucketError`` when a rate cannot be shaped (checked before anything is written).
    public func plan(window: Window, interface: NetworkInterface, fastest: (upload: UInt64?, download: UInt64?) = (nil, nil))
        throws(TokenBucketError) -> ShapingPlan
    {
        let ifb = Ownership.ifbName(for: interface.name)
        var plan = ShapingPlan(interface: interface.name, ifbName: ifb, upload: nil, download: nil, window: window,
                               mode: mode)
        guard window.kind != .unthrottled else { return plan }
        if mode == .safe {
            // The MTU comes from the kernel (lo and IFB accept up to 2^31−1) and the fastest rates size every
            // window's bucket: check both first, so an error names its cause rather than a derived burst.
            try ShapingLimits.checkMTU(interface.mtu, what: "\(interface.name)'s MTU")
            for (direction, bits) in [("upload", fastest.upload), ("download", fastest.download)] {
                if let bits { try ShapingLimits.checkRate(bits, what: "the fastest \(direction) rate") }
            }
        }
        func request(_ bits: UInt64, fastest: UInt64?) -> TBFRequest {
            TBFRequest(bitsPerSecond: bits, mtu: interface.mtu,
                       minimumBurst: fastest.map { SafeDefaults.burst(bitsPerSecond: $0, mtu: interface.mtu) })
        }
        if let bits = window.bandwidth.bitsPerSecond {
            plan.upload = try direction(device: interface.name, bits: bits, mtu: interface.mtu,
                                        request: mode == .safe ? request(bits, fastest: fastest.upload) : nil)
        }
        if let bits = window.allowance.download.bitsPerSecond {
            plan.download = try direction(device: ifb, bits: bits, mtu: interface.mtu,
                                          request: mode == .safe ? request(bits, fastest: fastest.download) : nil)
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
