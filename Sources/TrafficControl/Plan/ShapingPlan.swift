import ThrottlePolicy
import TokenBucket

/// What one direction needs: a root TBF on `device` limiting all its traffic to one rate.
///
/// TBF rather than HTB: on the kernels this runs on, a single-class HTB ran up to 7 % over its rate at
/// 1 Mbit/s while TBF held within 1 %, and TBF splits GSO packets larger than its bucket instead of letting
/// them through whole.
public struct DirectionPlan: Hashable, Sendable {
    /// The interface (upload) or its IFB (download).
    public var device: String
    /// The TBF parameters, from ``TokenBucket`` in the plan's mode.
    public var tbf: TBFParameters

    public var bitsPerSecond: UInt64 { tbf.request.bitsPerSecond }

    /// The settings as the kernel will report them.
    public var setting: TBFSetting {
        TBFSetting(rate: tbf.rate.bytesPerSecond, limit: tbf.limit, bufferTicks: tbf.kernelBufferTicks, burst: tbf.burst)
    }
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
    /// Shape only this traffic (``ShapingPlanner/plan(window:interface:selection:)``); `nil`: the whole
    /// interface. Directions' devices are then the upload IFB and the download IFB.
    public var selection: SelectionPlan? = nil

    /// True when neither direction is limited.
    public var isUnshaped: Bool { upload == nil && download == nil }
}
