import Foundation
import Testing
import TokenBucket

/// Inputs that once trapped (unchecked arithmetic) or hung (an unbounded tick search) now throw at once.
struct ArithmeticLimitTests {
    @Test(arguments: [UInt64(8), 40, 7999, 600_000_000_001, 10_000_000_000_000, .max])
    func safeModeRefusesRatesOutsideTheShapedRange(bits: UInt64) {
        #expect(throws: TokenBucketError.self) { try HTBClassParameters(HTBRequest(bitsPerSecond: bits), mode: .safe) }
        #expect(throws: TokenBucketError.self) { try TBFParameters(TBFRequest(bitsPerSecond: bits), mode: .safe) }
    }

    @Test func tcModeTickOverflowThrowsInsteadOfHanging() {
        // 40 bit/s is 5 B/s: one 1600-byte bucket is 320 s, past the 32-bit tick field (about 274.9 s).
        #expect(throws: TokenBucketError.self) { try HTBClassParameters(HTBRequest(bitsPerSecond: 40), mode: .tc) }
        #expect(throws: TokenBucketError.self) { try HTBClassParameters(HTBRequest(bitsPerSecond: 8), mode: .tc) }
    }

    @Test(arguments: [UInt32(0), 67, 131_073, 262_144, 300_000, 536_870_898, 2_147_483_647, .max])
    func safeModeRefusesMTUsOutsideTheShapedRange(mtu: UInt32) {
        #expect { try TBFParameters(TBFRequest(bitsPerSecond: 1_000_000, mtu: mtu), mode: .safe) }
            throws: { ($0 as? TokenBucketError)?.message.contains("68 to 131072 bytes") == true }
        #expect { try HTBClassParameters(HTBRequest(bitsPerSecond: 8000, mtu: mtu), mode: .safe) }
            throws: { ($0 as? TokenBucketError)?.message.contains("68 to 131072 bytes") == true }
    }

    @Test func tcModeHugeMTUsAreCheckedNotWrapped() {
        // tc's mtu is the peak bucket: 2^31−1 bytes at 2 mbit takes hours, past the 32-bit tick field.
        #expect(throws: TokenBucketError.self) {
            try TBFParameters(TBFRequest(bitsPerSecond: 1_000_000, burst: 2000, queueBound: .latency(microseconds: 1000),
                                         mtu: 2_147_483_647, peakBitsPerSecond: 2_000_000), mode: .tc)
        }
        #expect(throws: TokenBucketError.self) {
            try TBFParameters(TBFRequest(bitsPerSecond: 1_000_000, burst: 2000, queueBound: .latency(microseconds: 1000),
                                         mtu: 0, peakBitsPerSecond: 2_000_000), mode: .tc)
        }
    }

    @Test func tenTerabitHTBTellsTheRangeInsteadOfTrapping() throws {
        let error = try #require(throws: TokenBucketError.self) {
            try HTBClassParameters(HTBRequest(bitsPerSecond: 10_000_000_000_000), mode: .safe)
        }
        #expect(error.message.contains("600000000000 bit/s"))
    }

    @Test func theRangesCornersNeverOverflowTheLimit() throws {
        // 600 Gbit/s on the largest MTU: burst + 50 ms of queue still fits the 32-bit limit.
        let fast = try TBFParameters(TBFRequest(bitsPerSecond: 600_000_000_000, mtu: 131_072), mode: .safe)
        #expect(UInt64(fast.limit) <= UInt64(UInt32.max))
        #expect(fast.limit > fast.burst)
        // 8 kbit/s on the largest MTU: two frames of 131,086 bytes take 262 s, still within the 32-bit tick field.
        let slow = try TBFParameters(TBFRequest(bitsPerSecond: 8000, mtu: 131_072), mode: .safe)
        #expect(slow.burst == 262_172)
        #expect(slow.kernelBufferTicks <= UInt32.max)
    }

    @Test func defaultLatencyOverflowDoesNotAskForALatencyOption() throws {
        // tc mode with a given latency may be told to shorten it; the message names what can be changed.
        let error = try #require(throws: TokenBucketError.self) {
            try TBFParameters(TBFRequest(bitsPerSecond: 40_000_000_000_000, burst: 1_000_000,
                                         queueBound: .latency(microseconds: 1000)), mode: .tc)
        }
        #expect(error.message.contains("give a shorter latency or a limit"))
    }

    @Test func saturatingFrameSize() {
        #expect(SafeDefaults.frameBytes(mtu: .max) == .max)
        #expect(SafeDefaults.frameBytes(mtu: 1500) == 1514)
    }
}

/// The transfer estimator at the edge of 64-bit byte counts.
struct TransferLimitTests {
    @Test func theLargestTransferDoesNotTrapWhenDoubleRoundsUp() throws {
        // Double(UInt64.max) is 2^64: converting it back used to trap.
        let start = Date(timeIntervalSince1970: 0)
        let estimate = try TransferEstimator.estimate(bytes: .max, start: start, linkBitsPerSecond: 600_000_000_000) {
            from, to in [RateSegment(start: from, end: to, bitsPerSecond: nil, kind: "unthrottled")]
        }
        #expect(estimate.windows.map(\.bytes).reduce(0, { $0 &+ $1 }) >= UInt64.max - 4096)
    }
}
