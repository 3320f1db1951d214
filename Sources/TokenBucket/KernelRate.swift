/// The kernel's `struct psched_ratecfg`: a byte rate with the multiplier and shift it uses to turn packet
/// lengths into transmit times without dividing (net/sched/sch_generic.c, `psched_ratecfg_precompute`).
public struct KernelRate: Hashable, Sendable {
    /// The rate in bytes per second.
    public let bytesPerSecond: UInt64
    /// The multiplier (`psched_ratecfg.mult`).
    public let mult: UInt32
    /// The shift (`psched_ratecfg.shift`).
    public let shift: UInt8

    /// The kernel's parameters for `bytesPerSecond`, computed as it does.
    public init(bytesPerSecond: UInt64) {
        self.bytesPerSecond = bytesPerSecond
        var factor: UInt64 = 1_000_000_000
        var mult: UInt32 = 1
        var shift: UInt8 = 0
        if bytesPerSecond > 0 {
            while true {
                mult = UInt32(truncatingIfNeeded: factor / bytesPerSecond)
                if mult & (1 << 31) != 0 || factor & (1 << 63) != 0 { break }
                factor <<= 1
                shift += 1
            }
        }
        self.mult = mult
        self.shift = shift
    }

    /// `psched_l2t_ns`: nanoseconds to send `length` bytes (no overhead, no ATM cells).
    public func nanoseconds(toSend length: UInt32) -> UInt64 {
        (UInt64(length) &* UInt64(mult)) >> UInt64(shift)
    }

    /// `psched_ns_t2l`: whole bytes sent in `nanoseconds` (the kernel's 64-bit product wraps, as here).
    public func bytes(sentIn nanoseconds: UInt64) -> UInt64 {
        (nanoseconds &* bytesPerSecond) / 1_000_000_000
    }

    /// True when `bytes(sentIn:)` would wrap in the kernel's 64-bit arithmetic.
    public func overflowsByteCount(_ nanoseconds: UInt64) -> Bool {
        nanoseconds.multipliedReportingOverflow(by: bytesPerSecond).overflow
    }

    /// What the kernel dumps in a 32-bit `tc_ratespec.rate`: the rate, or ~0 when it needs 64 bits.
    public var rate32: UInt32 { bytesPerSecond >= 1 << 32 ? .max : UInt32(bytesPerSecond) }

    /// True when the 64-bit attribute (`TCA_*_RATE64`) must carry the rate.
    public var needs64BitAttribute: Bool { bytesPerSecond >= 1 << 32 }
}
