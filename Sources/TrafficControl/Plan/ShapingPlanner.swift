import ThrottlePolicy
import TokenBucket

/// Builds a ``ShapingPlan`` from the window in force, the interface's facts, and the token-bucket maths.
public struct ShapingPlanner: Sendable {
    /// The FIFO under each class holds about this much traffic (but at least 16 and at most 10000 packets):
    /// a bounded queue, so that a slow window does not turn into seconds of bufferbloat.
    public static let leafQueueMilliseconds: UInt64 = 50
    public static let leafLimitRange: ClosedRange<UInt64> = 16...10_000

    public var mode: ShapingMode
    public var clock: PacketSchedulerClock

    public init(mode: ShapingMode = .safe, clock: PacketSchedulerClock = .highResolution) {
        self.mode = mode
        self.clock = clock
    }

    /// The plan for `window` on `interface`.
    /// - Throws: ``TokenBucketError`` when a rate cannot be shaped (checked before anything is written).
    public func plan(window: Window, interface: NetworkInterface) throws(TokenBucketError) -> ShapingPlan {
        let ifb = Ownership.ifbName(for: interface.name)
        var plan = ShapingPlan(interface: interface.name, ifbName: ifb, upload: nil, download: nil, window: window,
                               mode: mode)
        guard window.kind != .unthrottled else { return plan }
        if let bits = window.bandwidth.bitsPerSecond {
            plan.upload = try direction(device: interface.name, bits: bits, mtu: interface.mtu)
        }
        if let bits = window.allowance.download.bitsPerSecond {
            plan.download = try direction(device: ifb, bits: bits, mtu: interface.mtu)
        }
        return plan
    }

    /// One direction at `bits` per second: HTB rate = ceil, buckets and quantum from the mode.
    public func direction(device: String, bits: UInt64, mtu: UInt32, request: HTBRequest? = nil)
        throws(TokenBucketError) -> DirectionPlan
    {
        let htbRequest = request ?? HTBRequest(bitsPerSecond: bits, mtu: mode == .safe ? mtu : nil)
        let htb = try HTBClassParameters(htbRequest, mode: mode, clock: clock)
        let frame = UInt64(SafeDefaults.frameBytes(mtu: mtu))
        let queued = htb.rate.bytesPerSecond * Self.leafQueueMilliseconds / 1000 / frame
        let limit = min(max(queued, Self.leafLimitRange.lowerBound), Self.leafLimitRange.upperBound)
        return DirectionPlan(device: device, htb: htb, leafLimitPackets: UInt32(limit))
    }
}
