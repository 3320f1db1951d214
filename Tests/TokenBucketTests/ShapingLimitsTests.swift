import Testing
import TokenBucket

/// The documented range holds: every rate in it can be shaped on every MTU in its range, by TBF and HTB.
struct ShapingLimitsTests {
    static let rates: [UInt64] = [
        ShapingLimits.rates.lowerBound, 8001, 1_000_000, 999_999_999, 40_000_000_000, 599_999_999_999,
        ShapingLimits.rates.upperBound,
    ]
    static let mtus: [UInt32] = [ShapingLimits.mtus.lowerBound, 1500, 9000, 65_536, ShapingLimits.mtus.upperBound]

    @Test(arguments: rates, mtus)
    func everyCornerIsShapeable(bits: UInt64, mtu: UInt32) throws {
        let tbf = try TBFParameters(TBFRequest(bitsPerSecond: bits, mtu: mtu), mode: .safe)
        #expect(tbf.effectiveBurst >= UInt64(mtu) + 14)
        let htb = try HTBClassParameters(HTBRequest(bitsPerSecond: bits, mtu: mtu), mode: .safe)
        #expect(htb.effectiveBurst >= UInt64(mtu) + 14)
    }

    @Test(arguments: rates)
    func everyWindowGetsTheBucketOfItsOwnRate(bits: UInt64) throws {
        let p = try TBFParameters(TBFRequest(bitsPerSecond: bits, mtu: 9000), mode: .safe)
        #expect(UInt64(p.burst) == SafeDefaults.burst(bitsPerSecond: bits, mtu: 9000))
    }

    @Test func theCapIsBelowWhatTheLimitFieldHolds() {
        // rate × (5 ms burst + 50 ms queue) must fit 2^32−1 bytes.
        let bytesPerSecond = ShapingLimits.rates.upperBound / 8
        #expect(bytesPerSecond * 55 / 1000 <= UInt64(UInt32.max))
        // Two frames (the default burst) of the largest MTU at the lowest rate fit the 32-bit tick field (64 ns
        // ticks); two frames of the next MTU up would not.
        let frame = UInt64(ShapingLimits.mtus.upperBound) + 14
        let lowest = ShapingLimits.rates.lowerBound / 8
        #expect(2 * frame * 1_000_000_000 / lowest / 64 <= UInt64(UInt32.max))
        #expect(2 * (frame * 2) * 1_000_000_000 / lowest / 64 > UInt64(UInt32.max))
    }
}
