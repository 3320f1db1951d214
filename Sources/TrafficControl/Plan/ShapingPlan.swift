import ThrottlePolicy
import TokenBucket

/// What one direction needs: an HTB tree on `device` limiting all traffic to one rate.
public struct DirectionPlan: Hashable, Sendable {
    /// The interface (upload) or its IFB (download).
    public var device: String
    /// The HTB class parameters (rate = ceil), from ``TokenBucket`` in the plan's mode.
    public var htb: HTBClassParameters
    /// The packet limit of the FIFO under the class.
    public var leafLimitPackets: UInt32

    public var bitsPerSecond: UInt64 { htb.request.bitsPerSecond }
}

/// The desired traffic-control state for an interface, as plain values.
///
/// A direction without a limit (an unlimited or unthrottled window) has no plan: its objects are removed
/// and the interface is left as if throttlectl were not there.
public struct ShapingPlan: Hashable, Sendable {
    public var interface: String
    public var ifbName: String
    public var upload: DirectionPlan?
    public var download: DirectionPlan?
    /// The schedule window the plan carries out.
    public var window: Window
    public var mode: ShapingMode

    /// True when neither direction is limited.
    public var isUnshaped: Bool { upload == nil && download == nil }
}
