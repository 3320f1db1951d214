import Testing
import TokenBucket

/// The safe mode's promises, over rates from 8 kbit/s to 40 Gbit/s and MTUs from 576 to 9000.
struct SafeModeTests {
    static let rates: [UInt64] = [
        8000, 8001, 56_000, 64_000, 524_288, 1_000_000, 2_097_152, 10_000_000, 99_999_999, 100_000_000, 1_000_000_000,
        1_072_693_248, 2_500_000_000, 10_000_000_000, 25_000_000_000, 34_359_738_368, 40_000_000_000,
    ]
    static let mtus: [UInt32] = [576, 1280, 1500, 9000]

    /// What safe mode promises, as numbers worked out here: two frames or 5 ms of bucket (rounded up), a queue of
    /// 50 ms beyond it but at least sixteen frames, and the kernel's ticks for exactly that bucket.
    @Test(arguments: rates, mtus)
    func tbfNeverCutsAFrameNorDropsEverything(bits: UInt64, mtu: UInt32) throws {
        let p = try TBFParameters(TBFRequest(bitsPerSecond: bits, mtu: mtu), mode: .safe)
        let bytesPerSecond = bits / 8
        let frame = UInt64(mtu) + 14
        let fiveMilliseconds = (bytesPerSecond * 5 + 999) / 1000
        let burst = max(2 * frame, fiveMilliseconds)
        #expect(UInt64(p.burst) == burst)
        #expect(p.effectiveBurst == burst, "with TCA_TBF_BURST the kernel passes packets up to the burst")
        #expect(UInt64(p.limit) == max(bytesPerSecond / 20 + burst, burst + 16 * frame))
        #expect(p.warnings.isEmpty)
        // The buffer is the burst's transmit time in 64 ns ticks: within one tick of burst / rate.
        let nanoseconds = Double(burst) / Double(bytesPerSecond) * 1e9
        #expect(abs(Double(p.kernelBufferTicks) - nanoseconds / 64) <= 1)
        #expect(p.rate.needs64BitAttribute == (bytesPerSecond >= 4_294_967_296))
    }

    /// HTB buckets: the same burst, ticks rounded up so the kernel's bucket holds it, at most one tick more,
    /// and a quantum of rate / 10 kept within one frame … 200,000 bytes.
    @Test(arguments: rates, mtus)
    func htbBucketsHoldWhatWasAskedAndTheQuantumIsExplicit(bits: UInt64, mtu: UInt32) throws {
        let p = try HTBClassParameters(HTBRequest(bitsPerSecond: bits, mtu: mtu), mode: .safe)
        let bytesPerSecond = bits / 8
        let frame = UInt64(mtu) + 14
        let burst = max(2 * frame, (bytesPerSecond * 5 + 999) / 1000)
        #expect(UInt64(p.burst) == burst && UInt64(p.cburst) == burst)
        #expect(p.effectiveBurst >= burst && p.effectiveCburst >= burst)
        #expect(p.effectiveBurst - burst <= bytesPerSecond * 64 / 1_000_000_000 + 1, "at most one tick's bytes over")
        #expect(abs(Double(p.bufferTicks) - Double(burst) / Double(bytesPerSecond) * 1e9 / 64) <= 1.5)
        #expect(UInt64(p.quantum) == min(max(bytesPerSecond / 10, frame), 200_000))
        #expect(p.kernelQuantum == p.quantum && p.quantumClamp == nil)
        #expect(p.warnings.isEmpty)
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
        #expect(slow.burst == 3028)  // two frames of 1514 bytes (5 ms at 1000 B/s is only 5 bytes)
        #expect(slow.limit == 27_252)  // raised to burst + sixteen frames: 3028 + 16 × 1514
        let twoMbit = try TBFParameters(TBFRequest(bitsPerSecond: 2_000_000), mode: .safe)
        #expect(twoMbit.burst == 3028)  // two frames: 5 ms at 250,000 B/s is 1250 bytes
        let fast = try TBFParameters(TBFRequest(bitsPerSecond: 5_000_000), mode: .safe)
        #expect(fast.burst == 3125)  // 5 ms at 625,000 B/s, just above two frames
        let htb = try HTBClassParameters(HTBRequest(bitsPerSecond: 10_000_000), mode: .safe)
        #expect(htb.burst == 6250 && htb.bufferTicks == 78_125 && htb.quantum == 125_000)
    }
}
