/// Turns a ``TBFRequest`` into ``TBFParameters`` in tc or safe mode, and predicts what the kernel keeps.
struct TBFCalculator {
    let request: TBFRequest
    let mode: ShapingMode
    let clock: PacketSchedulerClock

    func parameters() throws(TokenBucketError) -> TBFParameters {
        let rateBytes = TcArithmetic.bytesPerSecond(bits: request.bitsPerSecond)
        guard rateBytes > 0 else {
            throw TokenBucketError("a rate of \(request.bitsPerSecond) bit/s is less than one byte per second")
        }
        let deviceMTU = mode == .safe ? request.mtu ?? SafeDefaults.deviceMTU : SafeDefaults.deviceMTU
        if mode == .safe {
            try ShapingLimits.checkRate(request.bitsPerSecond)
            try ShapingLimits.checkMTU(deviceMTU, what: "a device MTU")
        } else if request.mtu == 0 {
            throw TokenBucketError("an mtu of 0 bytes passes nothing: give the peak bucket in bytes")
        }
        let frame = SafeDefaults.frameBytes(mtu: deviceMTU)
        var notes: [String] = []
        var warnings: [String] = []
        if request.bitsPerSecond % 8 != 0 {
            notes.append("rate \(request.bitsPerSecond) bit/s is \(rateBytes) whole bytes/s (the kernel counts bytes)")
        }
        let burst = try chooseBurst(rateBytes: rateBytes, frame: frame, notes: &notes)
        let limit = try chooseLimit(rateBytes: rateBytes, burst: burst, frame: frame, notes: &notes)
        let rate = KernelRate(bytesPerSecond: rateBytes)

        // tc fills tc_tbf_qopt.rate with the rate capped to 32 bits and computes the ticks from that.
        let sentTicks: UInt32
        switch mode {
        case .tc: sentTicks = try TcArithmetic.transmitTicks(rate: UInt64(rate.rate32), size: burst, clock: clock)
        case .safe: sentTicks = try ticks(UInt64(burst), at: rate, what: "the burst")
        }
        // With TCA_TBF_BURST the kernel keeps max_size = burst and buffer = l2t(burst).
        let kernelTicks = try ticks(UInt64(burst), at: rate, what: "the burst")
        var effectiveBurst = UInt64(burst)

        var peak: KernelRate?
        var peakBurst: UInt32?
        var peakTicks: UInt32?
        var kernelPeakTicks: UInt32?
        if let peakBits = request.peakBitsPerSecond {
            let peakRate = KernelRate(bytesPerSecond: TcArithmetic.bytesPerSecond(bits: peakBits))
            guard peakRate.bytesPerSecond > rate.bytesPerSecond else {
                throw TokenBucketError(
                    "the peak rate (\(peakBits) bit/s) must be above the rate (\(request.bitsPerSecond) bit/s): the "
                        + "kernel refuses it (EINVAL)")
            }
            let bucket: UInt32
            switch mode {
            case .tc:
                guard let mtu = request.mtu else {
                    throw TokenBucketError("a peak rate needs --mtu (the peak bucket), as in tc")
                }
                bucket = mtu
                peakTicks = try TcArithmetic.transmitTicks(rate: UInt64(peakRate.rate32), size: mtu, clock: clock)
            case .safe:
                bucket = frame
                peakTicks = try ticks(UInt64(frame), at: peakRate, what: "the peak bucket")
                notes.append("peak bucket: one frame (\(frame) bytes), the smallest that passes full-size packets")
            }
            peak = peakRate
            peakBurst = bucket
            kernelPeakTicks = try ticks(UInt64(bucket), at: peakRate, what: "the peak bucket")
            effectiveBurst = min(effectiveBurst, UInt64(bucket))
        }
        if effectiveBurst < UInt64(frame) {
            let warning = "sch_tbf: burst \(effectiveBurst) is lower than device mtu (\(frame)): "
                + "full-size packets that are not GSO are dropped"
            if mode == .safe { throw TokenBucketError(warning) }
            warnings.append(warning)
        }
        let latency = max(0, 1_000_000 * Double(limit) / Double(rateBytes) - Double(kernelTicks) / clock.ticksPerMicrosecond)
        return TBFParameters(
            mode: mode, request: request, rate: rate, burst: burst, bufferTicks: sentTicks, kernelBufferTicks: kernelTicks,
            limit: limit, peak: peak, peakBurst: peakBurst, peakTicks: peakTicks, kernelPeakTicks: kernelPeakTicks,
            effectiveBurst: effectiveBurst, frameBytes: frame, latencyMicroseconds: latency, warnings: warnings,
            notes: notes)
    }

    /// The kernel's tick count for sending `bytes` at `rate` (l2t, then ns → ticks), checked to fit 32 bits.
    private func ticks(_ bytes: UInt64, at rate: KernelRate, what: String) throws(TokenBucketError) -> UInt32 {
        guard bytes <= UInt64(UInt32.max) else {
            throw TokenBucketError("\(what) (\(bytes) bytes) does not fit the kernel's 32-bit byte count")
        }
        let nanoseconds = rate.nanoseconds(toSend: UInt32(bytes))
        let ticks = clock.ticks(nanoseconds: nanoseconds)
        // With TCA_TBF_BURST the kernel keeps the buffer in 64-bit nanoseconds but dumps it as 32-bit ticks.
        guard ticks <= UInt64(UInt32.max) else {
            throw TokenBucketError(
                "\(what) (\(bytes) bytes) takes \(nanoseconds / 1_000_000) ms at \(rate.bytesPerSecond) B/s: more "
                    + "ticks than the kernel's 32-bit buffer field holds (about 274877 ms); give a higher rate or a "
                    + "smaller size")
        }
        return UInt32(ticks)
    }

    private func chooseBurst(rateBytes: UInt64, frame: UInt32, notes: inout [String]) throws(TokenBucketError) -> UInt32 {
        switch mode {
        case .tc:
            guard let burst = request.burst else { throw TokenBucketError("tc needs a burst for TBF (--burst)") }
            guard burst > 0 else { throw TokenBucketError("a burst of 0 bytes passes nothing") }
            guard burst <= UInt64(UInt32.max) else { throw TokenBucketError("a burst of \(burst) bytes does not fit 32 bits") }
            return UInt32(burst)
        case .safe:
            let ceiling = max(UInt64(frame), SafeDefaults.bytes(of: SafeDefaults.maximumBurstMilliseconds, at: rateBytes))
            guard let burst = request.burst else {
                let chosen = SafeDefaults.burst(bytesPerSecond: rateBytes, frame: frame)
                guard chosen <= UInt64(UInt32.max) else {
                    throw TokenBucketError("5 ms at \(rateBytes) B/s is more than a 32-bit burst holds")
                }
                notes.append(
                    "burst: \(chosen) bytes = max(\(SafeDefaults.minimumBurstFrames) frames of \(frame) bytes, "
                        + "\(SafeDefaults.burstMilliseconds) ms at the rate)")
                return UInt32(chosen)
            }
            guard burst >= UInt64(frame) else {
                throw TokenBucketError(
                    "a burst of \(burst) bytes is below one frame (\(frame) bytes = MTU + \(SafeDefaults.linkHeaderBytes)): "
                        + "the kernel would drop full-size packets")
            }
            guard burst <= ceiling else {
                throw TokenBucketError(
                    "a burst of \(burst) bytes is more than \(SafeDefaults.maximumBurstMilliseconds) ms at the rate "
                        + "(\(ceiling) bytes): the first second would run more than 10 % over the rate; use --mode tc "
                        + "to install it anyway")
            }
            guard burst <= UInt64(UInt32.max) else { throw TokenBucketError("a burst of \(burst) bytes does not fit 32 bits") }
            return UInt32(burst)
        }
    }

    private func chooseLimit(rateBytes: UInt64, burst: UInt32, frame: UInt32, notes: inout [String])
        throws(TokenBucketError) -> UInt32
    {
        let bound: TBFRequest.QueueBound
        switch (mode, request.queueBound) {
        case (_, .some(let given)): bound = given
        case (.tc, .none): throw TokenBucketError("tc needs a limit or a latency for TBF (--limit or --latency)")
        case (.safe, .none):
            bound = .latency(microseconds: SafeDefaults.latencyMicroseconds)
            notes.append("latency: \(SafeDefaults.latencyMicroseconds / 1000) ms, a bounded queue without bufferbloat")
        }
        switch bound {
        case .limit(let bytes):
            guard bytes > 0 else { throw TokenBucketError("a limit of 0 bytes drops every packet") }
            guard bytes <= UInt64(UInt32.max) else { throw TokenBucketError("a limit of \(bytes) bytes does not fit 32 bits") }
            if mode == .safe && bytes < UInt64(burst) + UInt64(frame) {
                throw TokenBucketError(
                    "a limit of \(bytes) bytes cannot queue one frame beyond the burst (\(UInt64(burst) + UInt64(frame)) "
                        + "bytes at least)")
            }
            return UInt32(bytes)
        case .latency(let microseconds):
            guard microseconds > 0 else { throw TokenBucketError("a latency of 0 leaves no queue: give at least 1ms") }
            guard microseconds <= 10_000_000 else {
                throw TokenBucketError("a latency of \(microseconds) µs is more than 10 s: give a shorter one")
            }
            // tc: lim = rate64 * (double)latency / TIME_UNITS_PER_SEC + buffer, then truncated to 32 bits.
            var limit = Double(rateBytes) * Double(microseconds) / 1_000_000 + Double(burst)
            if mode == .tc, let peakBits = request.peakBitsPerSecond, let mtu = request.mtu {
                let peakLimit = Double(TcArithmetic.bytesPerSecond(bits: peakBits)) * Double(microseconds) / 1_000_000
                    + Double(mtu)
                limit = min(limit, peakLimit)
            }
            guard limit < 4_294_967_296 else {
                // Only a latency the caller gave can be shortened; the safe default is not an option to change.
                let advice = request.queueBound == nil
                    ? "the rate is too high for TBF (throttlectl shapes \(ShapingLimits.ratesText))"
                    : "give a shorter latency or a limit"
                throw TokenBucketError(
                    "\(microseconds) µs at \(rateBytes) B/s plus the burst is \(UInt64(limit)) bytes: more than the "
                        + "32-bit limit holds; \(advice)")
            }
            var bytes = UInt32(limit)
            if mode == .safe {
                let wideFloor = UInt64(burst) + UInt64(SafeDefaults.minimumQueuedFrames) * UInt64(frame)
                guard wideFloor <= UInt64(UInt32.max) else {
                    throw TokenBucketError(
                        "the burst plus \(SafeDefaults.minimumQueuedFrames) frames of \(frame) bytes is \(wideFloor) "
                            + "bytes: more than the 32-bit limit holds; give a smaller MTU")
                }
                let floor = UInt32(wideFloor)
                if bytes < floor {
                    notes.append(
                        "limit: raised to \(floor) bytes, so that \(SafeDefaults.minimumQueuedFrames) frames can queue "
                            + "beyond the burst and TCP keeps a slow link busy")
                    bytes = floor
                } else {
                    notes.append("limit: \(bytes) bytes = rate × latency + burst")
                }
            }
            return bytes
        }
    }
}
