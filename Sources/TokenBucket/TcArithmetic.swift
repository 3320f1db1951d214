/// iproute2's own arithmetic, as `tc` 6.1 (Debian 12's) does it, step for step.
///
/// We follow 6.1 because it is the `tc` on the machines we ship to and test against: the parity tests
/// install with this binary and compare. Later releases (6.15 and on) compute transmit times as
/// `ceil(1e6 × size / rate × tick_in_usec)` without first truncating to whole microseconds; the
/// difference is at most `tick_in_usec` ticks, and largest (relative) at high rates and small sizes.
public enum TcArithmetic {
    /// `tc_calc_xmittime(rate, size)`: ticks to send `size` bytes at `rate` bytes/s.
    ///
    /// 6.1 computes `TIME_UNITS_PER_SEC * ((double)size / (double)rate)`, passes it as an `unsigned int`
    /// microsecond count (truncating), multiplies by `tick_in_usec`, and truncates to `unsigned int` again.
    /// - Throws: when either step does not fit 32 bits (C would wrap silently).
    public static func transmitTicks(rate: UInt64, size: UInt32, clock: PacketSchedulerClock)
        throws(TokenBucketError) -> UInt32
    {
        guard rate > 0 else { throw TokenBucketError("a rate of zero bytes per second cannot send anything") }
        guard clock.ticksPerMicrosecond > 0, clock.ticksPerMicrosecond.isFinite else {
            throw TokenBucketError("the packet-scheduler clock (\(clock)) has no ticks per microsecond")
        }
        let microseconds = 1_000_000 * (Double(size) / Double(rate))
        guard microseconds < 4_294_967_296 else {
            throw TokenBucketError("\(size) bytes take \(Int(microseconds)) µs at \(rate) B/s: more than 32 bits of µs")
        }
        let ticks = Double(UInt32(microseconds)) * clock.ticksPerMicrosecond
        guard ticks < 4_294_967_296 else {
            throw TokenBucketError(
                "\(size) bytes take \(UInt64(ticks)) ticks at \(rate) B/s: more than the 32-bit buffer field holds "
                    + "(about \(UInt64(4_294_967_295 / clock.ticksPerMicrosecond / 1000)) ms)")
        }
        return UInt32(ticks)
    }

    /// `tc_calc_xmitsize(rate, ticks)`: the bytes tc believes `ticks` carry (for its own printing).
    public static func transmitSize(rate: UInt64, ticks: UInt32, clock: PacketSchedulerClock) -> UInt64 {
        // Clamped where C would wrap, so an odd clock cannot trap here (this only feeds printing).
        let microseconds = min(Double(ticks) / max(clock.ticksPerMicrosecond, .leastNormalMagnitude), 4_294_967_295)
        return UInt64(min(Double(rate) * Double(UInt32(microseconds)) / 1_000_000, 18_446_744_073_709_549_568))
    }

    /// `get_rate64`: tc parses a bit rate and stores whole bytes per second (rounded down).
    public static func bytesPerSecond(bits: UInt64) -> UInt64 { bits / 8 }
}
