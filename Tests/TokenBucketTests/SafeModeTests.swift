import Testing
import TokenBucket

/// The safe mode's promises, over rates from 8 kbit/s to 40 Gbit/s and MTUs from 576 to 9000.
struct SafeModeTests {
    static let rates: [UInt64] = [
        8000, 8001, 56_000, 64_000, 524_288, 1_000_000, 2_097_152, 10_000_000, 99_999_999, 100_000_000, 1_000_000_000,
        1_072_693_248, 2_500_000_000, 10_000_000_000, 25_000_000_000, 34_359_738_368, 40_000_000_000,
    ]
    static let mtus: [UInt32] = [576, 1280, 1500, 9000]

    @Test(arguments: rates, mtus)
    func tbfNeverCutsAFrameNorDropsEverything(bits: UInt64, mtu: UInt32) throws {
        let p = try TBFParameters(TBFRequest(bitsPerSecond: bits, mtu: mtu), mode: .safe)
        let frame = UInt64(mtu + 14)
        #expect(p.effectiveBurst >= frame)
        #expect(UInt64(p.burst) == p.effectiveBurst)
        #expect(p.limit > 0)
        #expect(UInt64(p.limit) >= UInt64(p.burst) + frame)
        #expect(p.warnings.isEmpty)
        // The first second cannot run far over the rate: the bucket is one frame or 5 ms of traffic.
        let bytesPerSecond = bits / 8
        #expect(UInt64(p.burst) <= max(frame, bytesPerSecond / 200 + 1))
        #expect(p.bufferTicks == p.kernelBufferTicks)
        #expect(p.rate.needs64BitAttribute == (bytesPerSecond >= 1 << 32))
    }

    @Test(arguments: rates, mtus)
    func htbBucketsHoldWhatWasAskedAndTheQuantumIsExplicit(bits: UInt64, mtu: UInt32) throws {
        let p = try HTBClassParameters(HTBRequest(bitsPerSecond: bits, mtu: mtu), mode: .safe)
        let frame = UInt64(mtu + 14)
        #expect(p.effectiveBurst >= UInt64(p.burst) && UInt64(p.burst) >= frame)
        #expect(p.effectiveCburst >= UInt64(p.cburst))
        #expect(p.bufferTicks > 0 && p.cbufferTicks > 0)
        #expect(p.quantum > 0 && p.quantum == p.kernelQuantum && p.quantumClamp == nil)
        #expect(p.quantum <= 200_000 && UInt64(p.quantum) >= min(frame, 200_000))
        #expect(p.warnings.isEmpty)
        // Tick rounding adds at most one tick's worth of bytes.
        #expect(p.effectiveBurst - UInt64(p.burst) <= (bits / 8) * 64 / 1_000_000_000 + 1)
    }

    @Test func refusesBurstsBelowAFrameOrTooLarge() {
        #expect {
            try TBFParameters(TBFRequest(bitsPerSecond: 10_000_000, burst: 1000), mode: .safe)
        } throws: { ($0 as? TokenBucketError)?.message.contains("below one frame (1514 bytes") == true }
        #expect {
            try TBFParameters(TBFRequest(bitsPerSecond: 10_000_000, burst: 10_000_000), mode: .safe)
        } throws: { ($0 as? TokenBucketError)?.message.contains("more than 100 ms at the rate") == true }
        #expect {
            try HTBClassParameters(HTBRequest(bitsPerSecond: 10_000_000, cburst: 100), mode: .safe)
        } throws: { ($0 as? TokenBucketError)?.message.contains("below one frame") == true }
        #expect(throws: TokenBucketError.self) {
            try HTBClassParameters(HTBRequest(bitsPerSecond: 10_000_000, ceilBitsPerSecond: 5_000_000), mode: .safe)
        }
    }

    @Test func refusesQueuesThatCannotHoldAFrame() {
        #expect(throws: TokenBucketError.self) {
            try TBFParameters(TBFRequest(bitsPerSecond: 10_000_000, queueBound: .limit(bytes: 0)), mode: .safe)
        }
        #expect(throws: TokenBucketError.self) {
            try TBFParameters(TBFRequest(bitsPerSecond: 10_000_000, burst: 6250, queueBound: .limit(bytes: 7000)),
                              mode: .safe)
        }
        #expect(throws: TokenBucketError.self) {
            try TBFParameters(TBFRequest(bitsPerSecond: 10_000_000, queueBound: .latency(microseconds: 0)), mode: .safe)
        }
        #expect(throws: TokenBucketError.self) {  // 40 gbit × 1 s does not fit a 32-bit limit
            try TBFParameters(TBFRequest(bitsPerSecond: 40_000_000_000, queueBound: .latency(microseconds: 1_000_000)),
                              mode: .safe)
        }
        #expect(throws: TokenBucketError.self) { try TBFParameters(TBFRequest(bitsPerSecond: 0), mode: .safe) }
    }

    @Test func defaultsAreDocumentedValues() throws {
        let p = try TBFParameters(TBFRequest(bitsPerSecond: 100_000_000), mode: .safe)
        #expect(p.burst == 62_500)  // 5 ms at 12.5 MB/s
        #expect(p.limit == 687_500)  // 50 ms at 12.5 MB/s + the burst
        let slow = try TBFParameters(TBFRequest(bitsPerSecond: 8000), mode: .safe)
        #expect(slow.burst == 1514)  // one frame
        #expect(slow.limit == 25_738)  // raised to burst + sixteen frames
        let htb = try HTBClassParameters(HTBRequest(bitsPerSecond: 10_000_000), mode: .safe)
        #expect(htb.burst == 6250 && htb.bufferTicks == 78_125 && htb.quantum == 125_000)
    }
}
