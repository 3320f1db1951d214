/// How token-bucket parameters are derived.
public enum ShapingMode: String, Sendable, Hashable, CaseIterable {
    /// Exactly what iproute2's `tc` (6.1) computes and sends for the same human input.
    case tc
    /// What `throttlectl` installs: never a burst below one frame (two by default), never limit 0, an explicit
    /// quantum the kernel will not clamp, and no burst large enough to run the first second far over the rate.
    case safe
}

/// The defaults of the safe mode, and why.
public enum SafeDefaults {
    /// Ethernet header bytes added to the device MTU to get the largest frame a qdisc sees.
    public static let linkHeaderBytes: UInt32 = 14
    /// The device MTU assumed when none is given.
    public static let deviceMTU: UInt32 = 1500
    /// Default burst: 5 ms of traffic at the rate (but never less than ``minimumBurstFrames`` frames).
    /// Enough to absorb timer and softirq jitter at high rates, small enough that the first second runs at
    /// most 0.5 % over.
    public static let burstMilliseconds: UInt64 = 5
    /// The default burst holds at least this many full frames. With one, the bucket is full after every
    /// frame, so the tokens that accrue while the dequeue timer fires late are lost: at 2 Mbit/s a frame
    /// takes 6 ms and 60 µs of lateness costs 1 %; measured here, one frame ran 2 Mbit/s at 0.98–0.99 of
    /// the rate on the wire, two frames within 1 %.
    public static let minimumBurstFrames: UInt64 = 2
    /// Largest burst the safe mode accepts: 100 ms of traffic (or one frame, if larger). A larger bucket
    /// lets the first second of a transfer run more than 10 % over the rate.
    public static let maximumBurstMilliseconds: UInt64 = 100
    /// Default TBF queueing latency: 50 ms, a bounded queue (no bufferbloat) that still keeps TCP busy.
    public static let latencyMicroseconds: UInt64 = 50_000
    /// The queue holds at least this many full frames beyond the burst. With fewer, TCP cannot keep a slow
    /// link busy: measured here, 3 frames at 512 Kibit/s ran 12 % under the rate, 5 frames 1 % under; and a
    /// local TCP sender behind 9 frames at 512 Kibit/s fell into retransmission timeouts that kept it near
    /// 512 Kibit/s for seconds after a switch to 10 Mbit/s, where 13 frames or more switched at once.
    public static let minimumQueuedFrames: UInt32 = 16
    /// HTB's rate-to-quantum divisor, as tc's default.
    public static let r2q: UInt32 = 10
    /// The kernel clamps a computed HTB quantum to this range (and warns) unless it is given explicitly.
    public static let kernelQuantumRange: ClosedRange<UInt32> = 1_000...200_000

    /// The safe mode's own burst for a rate: two frames, or 5 ms of traffic if that is more.
    public static func burst(bitsPerSecond: UInt64, mtu: UInt32) -> UInt64 {
        burst(bytesPerSecond: bitsPerSecond / 8, frame: frameBytes(mtu: mtu))
    }

    /// The safe mode's own burst for a rate in bytes per second and a frame size: ``minimumBurstFrames``
    /// frames, or ``burstMilliseconds`` of traffic if that is more.
    static func burst(bytesPerSecond: UInt64, frame: UInt32) -> UInt64 {
        max(minimumBurstFrames * UInt64(frame), bytes(of: burstMilliseconds, at: bytesPerSecond))
    }

    /// The largest frame for a device MTU (saturating at `UInt32.max`; the calculators refuse MTUs outside
    /// ``ShapingLimits/mtus`` before they use it).
    public static func frameBytes(mtu: UInt32) -> UInt32 {
        let (frame, overflow) = mtu.addingReportingOverflow(linkHeaderBytes)
        return overflow ? .max : frame
    }

    /// `milliseconds` of traffic at `bytesPerSecond`, rounded up.
    static func bytes(of milliseconds: UInt64, at bytesPerSecond: UInt64) -> UInt64 {
        let product = bytesPerSecond.multipliedFullWidth(by: milliseconds)
        let (quotient, remainder) = UInt64(1000).dividingFullWidth(product)
        return quotient + (remainder > 0 ? 1 : 0)
    }
}
