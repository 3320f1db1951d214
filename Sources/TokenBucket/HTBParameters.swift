/// What an HTB class is asked for, in human terms.
public struct HTBRequest: Hashable, Sendable {
    /// The guaranteed rate (`rate`).
    public var bitsPerSecond: UInt64
    /// The ceiling (`ceil`); the rate when `nil`.
    public var ceilBitsPerSecond: UInt64?
    /// The bucket in bytes (`burst`); computed when `nil`.
    public var burst: UInt64?
    /// The ceiling's bucket (`cburst`); computed when `nil`.
    public var cburst: UInt64?
    /// The DRR quantum (`quantum`); computed from `r2q` when `nil`.
    public var quantum: UInt32?
    /// Rate-to-quantum divisor (`r2q`).
    public var r2q: UInt32
    /// Safe mode: the device MTU (default 1500). tc mode: tc's `mtu` (default 1600), which sets the
    /// default burst `rate / HZ + mtu`.
    public var mtu: UInt32?

    /// A request; what is `nil` takes the mode's default.
    public init(bitsPerSecond: UInt64, ceilBitsPerSecond: UInt64? = nil, burst: UInt64? = nil, cburst: UInt64? = nil,
                quantum: UInt32? = nil, r2q: UInt32 = SafeDefaults.r2q, mtu: UInt32? = nil) {
        self.bitsPerSecond = bitsPerSecond
        self.ceilBitsPerSecond = ceilBitsPerSecond
        self.burst = burst
        self.cburst = cburst
        self.quantum = quantum
        self.r2q = r2q
        self.mtu = mtu
    }
}

/// HTB class parameters as sent to the kernel, and as the kernel will hold and report them.
public struct HTBClassParameters: Hashable, Sendable {
    /// Safe or tc-exact maths.
    public let mode: ShapingMode
    /// What was asked for.
    public let request: HTBRequest
    /// The rate as the kernel holds it.
    public let rate: KernelRate
    /// The ceiling as the kernel holds it.
    public let ceil: KernelRate
    /// The buckets in bytes that the ticks were computed from.
    public let burst: UInt32
    /// The ceiling's bucket in bytes.
    public let cburst: UInt32
    /// `tc_htb_opt.buffer` / `.cbuffer` (ticks). The kernel keeps them as nanoseconds and dumps them back
    /// unchanged.
    public let bufferTicks: UInt32
    /// `tc_htb_opt.cbuffer` (ticks).
    public let cbufferTicks: UInt32
    /// The bytes the kernel's buckets really hold after tick rounding.
    public let effectiveBurst: UInt64
    /// The bytes the ceiling's bucket really holds.
    public let effectiveCburst: UInt64
    /// The quantum sent (0: let the kernel compute it).
    public let quantum: UInt32
    /// The quantum the kernel will use and dump.
    public let kernelQuantum: UInt32
    /// Why the kernel would clamp a computed quantum, if it would.
    public let quantumClamp: String?
    /// The largest frame on the device (MTU + link header).
    public let frameBytes: UInt32
    /// What the kernel would log.
    public let warnings: [String]
    /// What the maths had to round.
    public let notes: [String]

    /// Derives the parameters.
    /// - Throws: ``TokenBucketError`` for inputs the kernel would refuse or silently alter.
    public init(_ request: HTBRequest, mode: ShapingMode, clock: PacketSchedulerClock = .highResolution)
        throws(TokenBucketError)
    {
        let rateBytes = TcArithmetic.bytesPerSecond(bits: request.bitsPerSecond)
        let ceilBits = request.ceilBitsPerSecond ?? request.bitsPerSecond
        let ceilBytes = TcArithmetic.bytesPerSecond(bits: ceilBits)
        guard rateBytes > 0, ceilBytes > 0 else {
            throw TokenBucketError("a rate below one byte per second is zero to the kernel, which refuses it (EINVAL)")
        }
        let deviceMTU = mode == .safe ? request.mtu ?? SafeDefaults.deviceMTU : SafeDefaults.deviceMTU
        if mode == .safe {
            try ShapingLimits.checkRate(request.bitsPerSecond)
            try ShapingLimits.checkRate(ceilBits, what: "a ceil")
            try ShapingLimits.checkMTU(deviceMTU, what: "a device MTU")
        } else if request.mtu == 0 {
            throw TokenBucketError("an mtu of 0 bytes is not a packet size: give tc's mtu in bytes, or omit it")
        }
        let frame = SafeDefaults.frameBytes(mtu: deviceMTU)
        var warnings: [String] = []
        var notes: [String] = []
        if ceilBytes < rateBytes {
            let message = "the ceil (\(ceilBits) bit/s) is below the rate (\(request.bitsPerSecond) bit/s)"
            if mode == .safe { throw TokenBucketError(message + ": give a ceil at or above the rate") }
            warnings.append(message)
        }
        rate = KernelRate(bytesPerSecond: rateBytes)
        ceil = KernelRate(bytesPerSecond: ceilBytes)
        guard request.r2q > 0 else { throw TokenBucketError("r2q must be at least 1") }

        let bucket = HTBBucketCalculator(mode: mode, clock: clock, frame: frame, tcMTU: request.mtu ?? 1600)
        (burst, bufferTicks, effectiveBurst) = try bucket.bucket(request.burst, rate: rate, name: "burst", notes: &notes)
        (cburst, cbufferTicks, effectiveCburst) = try bucket.bucket(request.cburst, rate: ceil, name: "cburst", notes: &notes)
        for (name, effective) in [("burst", effectiveBurst), ("cburst", effectiveCburst)] where effective < UInt64(frame) {
            warnings.append(
                "the \(name) holds \(effective) bytes after rounding to ticks, below one frame (\(frame) bytes): "
                    + "full-size packets wait for tokens and the class runs under its rate")
        }

        // Kernel (htb_change_class): quantum = rate / r2q, clamped with a warning unless given.
        let computed = UInt32(min(rateBytes / UInt64(request.r2q), UInt64(Int32.max)))
        switch (mode, request.quantum) {
        case (_, .some(let given)):
            guard given > 0 else { throw TokenBucketError("a quantum of 0 lets the kernel compute one; omit it instead") }
            quantum = given
            kernelQuantum = given
            quantumClamp = nil
        case (.tc, .none):
            quantum = 0
            kernelQuantum = min(max(computed, SafeDefaults.kernelQuantumRange.lowerBound), SafeDefaults.kernelQuantumRange.upperBound)
            if computed < SafeDefaults.kernelQuantumRange.lowerBound {
                quantumClamp = "rate / r2q = \(computed) is below 1000: the kernel raises it to 1000"
                warnings.append("sch_htb: quantum of class is small. Consider r2q change.")
            } else if computed > SafeDefaults.kernelQuantumRange.upperBound {
                quantumClamp = "rate / r2q = \(computed) is above 200000: the kernel lowers it to 200000"
                warnings.append("sch_htb: quantum of class is big. Consider r2q change.")
            } else {
                quantumClamp = nil
            }
        case (.safe, .none):
            let chosen = min(max(computed, frame), SafeDefaults.kernelQuantumRange.upperBound)
            quantum = chosen
            kernelQuantum = chosen
            quantumClamp = nil
            notes.append(
                "quantum: \(chosen) bytes = rate / r2q (\(computed)) kept within one frame … 200000, and sent "
                    + "explicitly so the kernel neither clamps nor warns")
        }
        self.mode = mode
        self.request = request
        self.frameBytes = frame
        self.warnings = warnings
        self.notes = notes
    }
}

/// The tick arithmetic of one HTB bucket (burst at the rate, or cburst at the ceil).
struct HTBBucketCalculator {
    let mode: ShapingMode
    let clock: PacketSchedulerClock
    let frame: UInt32
    let tcMTU: UInt32

    /// (bytes, ticks, effective bytes) for a bucket of `given` bytes (or the mode's default) at `rate`.
    func bucket(_ given: UInt64?, rate: KernelRate, name: String, notes: inout [String])
        throws(TokenBucketError) -> (UInt32, UInt32, UInt64)
    {
        switch mode {
        case .tc:
            // tc: buffer = rate64 / get_hz() + mtu (an unsigned int), then tc_calc_xmittime(rate64, buffer).
            let bytes = given ?? (rate.bytesPerSecond / max(clock.hz, 1) + UInt64(tcMTU))
            guard bytes > 0, bytes <= UInt64(UInt32.max) else {
                throw TokenBucketError("a \(name) of \(bytes) bytes does not fit tc's 32-bit size")
            }
            let ticks = try TcArithmetic.transmitTicks(rate: rate.bytesPerSecond, size: UInt32(bytes), clock: clock)
            return (UInt32(bytes), ticks, effective(ticks, rate))
        case .safe:
            let ceiling = max(UInt64(frame), SafeDefaults.bytes(of: SafeDefaults.maximumBurstMilliseconds, at: rate.bytesPerSecond))
            let bytes: UInt64
            if let given {
                guard given >= UInt64(frame) else {
                    throw TokenBucketError(
                        "a \(name) of \(given) bytes is below one frame (\(frame) bytes): full-size packets would wait")
                }
                guard given <= ceiling else {
                    throw TokenBucketError(
                        "a \(name) of \(given) bytes is more than \(SafeDefaults.maximumBurstMilliseconds) ms at its "
                            + "rate (\(ceiling) bytes): the first second would run more than 10 % over; use --mode tc "
                            + "to install it anyway")
                }
                bytes = given
            } else {
                bytes = SafeDefaults.burst(bytesPerSecond: rate.bytesPerSecond, frame: frame)
                notes.append(
                    "\(name): \(bytes) bytes = max(\(SafeDefaults.minimumBurstFrames) frames, "
                        + "\(SafeDefaults.burstMilliseconds) ms at \(rate.bytesPerSecond) B/s)")
            }
            // Round the ticks up, so that the kernel's bucket holds at least the bytes asked for.
            let perTick = UInt64(clock.nanosecondsPerTick)
            let numerator = bytes.multipliedFullWidth(by: 1_000_000_000)
            let denominator = rate.bytesPerSecond.multipliedReportingOverflow(by: perTick)
            guard !denominator.overflow else { throw TokenBucketError("the rate is too large for the tick arithmetic") }
            guard numerator.high < denominator.partialValue else {
                throw TokenBucketError("a \(name) of \(bytes) bytes takes too long at the rate for 32-bit ticks")
            }
            guard bytes <= UInt64(UInt32.max) else {
                throw TokenBucketError(
                    "a \(name) of \(bytes) bytes does not fit HTB's 32-bit size (at most 4294967295 bytes)")
            }
            let (quotient, remainder) = denominator.partialValue.dividingFullWidth(numerator)
            // Checked before the search below: a tick count past 32 bits would never reach the bytes.
            let tooLong = TokenBucketError(
                "a \(name) of \(bytes) bytes takes \(bytes / max(rate.bytesPerSecond, 1)) s at \(rate.bytesPerSecond) B/s: "
                    + "more ticks than HTB's 32-bit buffer field holds (about 274 s); give a higher rate or a smaller MTU")
            guard quotient < UInt64(UInt32.max) else { throw tooLong }
            var ticks = quotient + (remainder > 0 ? 1 : 0)
            // Exact rounding up already holds the bytes; the kernel's truncations can cost a tick or two at most.
            for _ in 0..<4 where effective(UInt32(ticks), rate) < bytes {
                guard ticks < UInt64(UInt32.max) else { throw tooLong }
                ticks += 1
            }
            guard effective(UInt32(ticks), rate) >= bytes else { throw tooLong }
            return (UInt32(bytes), UInt32(ticks), effective(UInt32(ticks), rate))
        }
    }

    /// The bytes a bucket of `ticks` holds at `rate` (the kernel's psched_ns_t2l of ticks × 64 ns).
    func effective(_ ticks: UInt32, _ rate: KernelRate) -> UInt64 {
        rate.bytes(sentIn: clock.nanoseconds(ticks: ticks))
    }
}
