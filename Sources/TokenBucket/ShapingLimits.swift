/// The rates and MTUs throttlectl shapes: one range, used by policy validation, `params` and the planner.
///
/// The bounds come from TBF's 32-bit fields in safe mode. The queue limit (`tc_tbf_qopt.limit`, bytes) holds
/// the 5 ms burst plus 50 ms of queue, so `rate × 55 ms ≤ 2³²−1 bytes`: at most 78,090,314,600 bytes/s, about
/// 624.7 Gbit/s. The cap is the round 600 Gbit/s below that. At the low end, the default burst of two frames
/// must fit the 32-bit tick field (64 ns ticks, about 274.9 s of sending): at 8 kbit/s (1000 bytes/s) that is
/// two frames of up to 137,438 bytes each, so MTUs run up to 131,072 (128 KiB, well above loopback's 65,536).
/// Every rate in ``rates`` with every MTU in ``mtus`` can be shaped.
public enum ShapingLimits {
    /// 8 kbit/s (one byte per millisecond) … 600 Gbit/s.
    public static let rates: ClosedRange<UInt64> = 8_000...600_000_000_000
    /// 68 (the IPv4 minimum) … 131,072 bytes.
    public static let mtus: ClosedRange<UInt32> = 68...131_072

    /// The range as people read it, for messages.
    public static let ratesText = "8000 bit/s (8kbit) to 600000000000 bit/s (600gbit)"

    /// Checks `bitsPerSecond` against ``rates``; `what` names it in the message.
    public static func checkRate(_ bitsPerSecond: UInt64, what: String = "a rate") throws(TokenBucketError) {
        guard rates.contains(bitsPerSecond) else {
            throw TokenBucketError(
                "\(what) of \(bitsPerSecond) bit/s is out of range: throttlectl shapes from \(ratesText) "
                    + "(TBF's 32-bit queue limit must hold 55 ms at the rate)")
        }
    }

    /// Checks a device MTU against ``mtus``.
    public static func checkMTU(_ mtu: UInt32, what: String = "an MTU") throws(TokenBucketError) {
        guard mtus.contains(mtu) else {
            throw TokenBucketError(
                "\(what) of \(mtu) bytes is out of range: give \(mtus.lowerBound) to \(mtus.upperBound) bytes")
        }
    }
}
