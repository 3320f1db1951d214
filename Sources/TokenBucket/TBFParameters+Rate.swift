extension TBFParameters {
    /// The same bucket and queue limit at another rate: what a window gets when every window of a direction is
    /// sized for the schedule's fastest rate (`--bucket-sizing fastest-window`).
    ///
    /// The burst and limit in bytes are kept exactly (so a switch between the windows is an in-place change that
    /// never shrinks `max_size`); the rate, the buffer ticks and the latency are recomputed for `bitsPerSecond`.
    /// The safe mode's burst ceiling at the new rate is deliberately not applied: a bigger burst in the slow
    /// window is the price of a switch without a graft.
    /// - Throws: ``TokenBucketError`` when the rate is below one byte per second, or the bucket takes more
    ///   ticks at it than the kernel's 32-bit buffer holds.
    public func atRate(_ bitsPerSecond: UInt64, clock: PacketSchedulerClock = .highResolution)
        throws(TokenBucketError) -> TBFParameters
    {
        guard mode == .safe else { throw TokenBucketError("a bucket is moved to another rate in safe mode only") }
        guard peak == nil else { throw TokenBucketError("a bucket with a peak rate cannot be moved to another rate") }
        let rateBytes = TcArithmetic.bytesPerSecond(bits: bitsPerSecond)
        guard rateBytes > 0 else {
            throw TokenBucketError("a rate of \(bitsPerSecond) bit/s is less than one byte per second")
        }
        try ShapingLimits.checkRate(bitsPerSecond)
        let newRate = KernelRate(bytesPerSecond: rateBytes)
        let nanoseconds = newRate.nanoseconds(toSend: burst)
        let wideTicks = clock.ticks(nanoseconds: nanoseconds)
        guard wideTicks <= UInt64(UInt32.max) else {
            throw TokenBucketError(
                "a burst of \(burst) bytes takes \(nanoseconds / 1_000_000) ms at \(rateBytes) B/s: more ticks than "
                    + "the kernel's 32-bit buffer field holds")
        }
        let ticks = UInt32(wideTicks)
        var moved = request
        moved.bitsPerSecond = bitsPerSecond
        let latency = max(0, 1_000_000 * Double(limit) / Double(rateBytes) - Double(ticks) / clock.ticksPerMicrosecond)
        let note = "burst \(burst) bytes and limit \(limit) bytes: sized for \(request.bitsPerSecond) bit/s, the "
            + "schedule's fastest rate, so that switching windows never shrinks the bucket"
        return TBFParameters(
            mode: mode, request: moved, rate: newRate, burst: burst, bufferTicks: ticks, kernelBufferTicks: ticks,
            limit: limit, peak: nil, peakBurst: nil, peakTicks: nil, kernelPeakTicks: nil, effectiveBurst: effectiveBurst,
            frameBytes: frameBytes, latencyMicroseconds: latency, warnings: warnings,
            notes: notes.map { "at \(request.bitsPerSecond) bit/s, \($0)" } + [note])
    }
}
