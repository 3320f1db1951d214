/// What a TBF qdisc is asked for, in human terms.
public struct TBFRequest: Hashable, Sendable {
    /// How the queue is bounded: by its latency (tc's `latency`) or its size (tc's `limit`).
    public enum QueueBound: Hashable, Sendable {
        /// A bound on queueing delay (tc's `latency`).
        case latency(microseconds: UInt64)
        /// A bound on queued bytes (tc's `limit`).
        case limit(bytes: UInt64)
    }

    /// The rate (`rate`).
    public var bitsPerSecond: UInt64
    /// The bucket in bytes (`burst`); computed when `nil`.
    public var burst: UInt64?
    /// How the queue is bounded; the mode's default when `nil`.
    public var queueBound: QueueBound?
    /// Safe mode: the device MTU (default 1500). tc mode: tc's `mtu` (the peak bucket), and the device MTU
    /// for the kernel's "burst lower than device mtu" warning.
    public var mtu: UInt32?
    /// The peak rate (`peakrate`), if any.
    public var peakBitsPerSecond: UInt64?

    /// A request; what is `nil` takes the mode's default.
    public init(bitsPerSecond: UInt64, burst: UInt64? = nil, queueBound: QueueBound? = nil, mtu: UInt32? = nil,
                peakBitsPerSecond: UInt64? = nil) {
        self.bitsPerSecond = bitsPerSecond
        self.burst = burst
        self.queueBound = queueBound
        self.mtu = mtu
        self.peakBitsPerSecond = peakBitsPerSecond
    }
}

/// TBF parameters as sent to the kernel, and as the kernel will hold and report them.
public struct TBFParameters: Hashable, Sendable {
    /// Safe or tc-exact maths.
    public let mode: ShapingMode
    /// What was asked for.
    public let request: TBFRequest
    /// The rate (bytes/s); `rate.needs64BitAttribute` says whether `TCA_TBF_RATE64` carries it.
    public let rate: KernelRate
    /// The bucket in bytes, sent as `TCA_TBF_BURST`.
    public let burst: UInt32
    /// `tc_tbf_qopt.buffer` as sent (ticks).
    public let bufferTicks: UInt32
    /// The buffer the kernel keeps and dumps: it recomputes it from `TCA_TBF_BURST` (ticks).
    public let kernelBufferTicks: UInt32
    /// The queue limit in bytes (`tc_tbf_qopt.limit`).
    public let limit: UInt32
    /// The peak rate, its bucket (`mtu`, bytes, sent as `TCA_TBF_PBURST`) and ticks, when a peak is set.
    public let peak: KernelRate?
    /// The peak bucket in bytes (`mtu`).
    public let peakBurst: UInt32?
    /// `tc_tbf_qopt.mtu` as sent (ticks).
    public let peakTicks: UInt32?
    /// The peak buffer the kernel keeps and dumps (ticks).
    public let kernelPeakTicks: UInt32?
    /// The largest packet the kernel will pass (`max_size`): its effective burst, in bytes.
    public let effectiveBurst: UInt64
    /// The largest frame on the device (MTU + link header).
    public let frameBytes: UInt32
    /// What the kernel would log, and what the maths had to round.
    public let warnings: [String]
    /// The reasoning behind each derived value, for `throttlectl params`.
    public let notes: [String]

    /// How long a full queue takes to drain at the rate, beyond the burst (µs), as tc prints it.
    public let latencyMicroseconds: Double

    /// The longest a packet can wait: a full queue (`limit` bytes) drained at the rate, in µs.
    ///
    /// tc's `latency` subtracts the burst, but under load the bucket is empty and every queued byte waits its
    /// turn, so this is what ping measures behind a saturating flow.
    public var worstCaseQueueMicroseconds: Double {
        1_000_000 * Double(limit) / Double(max(rate.bytesPerSecond, 1))
    }

    /// Derives the parameters.
    /// - Throws: ``TokenBucketError`` for inputs the kernel would refuse or silently alter.
    public init(_ request: TBFRequest, mode: ShapingMode, clock: PacketSchedulerClock = .highResolution)
        throws(TokenBucketError)
    {
        self = try TBFCalculator(request: request, mode: mode, clock: clock).parameters()
    }

    init(mode: ShapingMode, request: TBFRequest, rate: KernelRate, burst: UInt32, bufferTicks: UInt32,
         kernelBufferTicks: UInt32, limit: UInt32, peak: KernelRate?, peakBurst: UInt32?, peakTicks: UInt32?,
         kernelPeakTicks: UInt32?, effectiveBurst: UInt64, frameBytes: UInt32, latencyMicroseconds: Double,
         warnings: [String], notes: [String]) {
        self.mode = mode
        self.request = request
        self.rate = rate
        self.burst = burst
        self.bufferTicks = bufferTicks
        self.kernelBufferTicks = kernelBufferTicks
        self.limit = limit
        self.peak = peak
        self.peakBurst = peakBurst
        self.peakTicks = peakTicks
        self.kernelPeakTicks = kernelPeakTicks
        self.effectiveBurst = effectiveBurst
        self.frameBytes = frameBytes
        self.latencyMicroseconds = latencyMicroseconds
        self.warnings = warnings
        self.notes = notes
    }
}
