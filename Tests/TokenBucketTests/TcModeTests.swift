import Testing
import TokenBucket

/// tc-compatible mode against values worked out from iproute2 6.1's formulas and the kernel's:
///   tc ticks  = ⌊⌊1e6 × burst / rate32⌋ × 15.625⌋        (tc_calc_xmittime, whole µs first)
///   limit     = ⌊rate × latency / 1e6 + burst⌋          (q_tbf.c)
///   kernel    = ((burst × mult) >> shift) >> 6          (sch_tbf.c with TCA_TBF_BURST: l2t, then ns → ticks)
///   HTB burst = rate / HZ + mtu  (HZ 1e9, mtu 1600)      (q_htb.c), ticks as above with the 64-bit rate
struct TcModeTests {
    struct TBFCase: Sendable, CustomTestStringConvertible {
        let bits: UInt64, burst: UInt64, bound: TBFRequest.QueueBound
        let rate: UInt64, sentTicks: UInt32, kernelTicks: UInt32, limit: UInt32
        var testDescription: String { "\(bits) bit/s, burst \(burst)" }
    }

    static let tbfCases: [TBFCase] = [
        // 8 kbit: 1000 B/s; ⌊1e6×1600/1000⌋ = 1600000 µs × 15.625 = 25000000; limit 1000×0.5 + 1600.
        .init(bits: 8000, burst: 1600, bound: .latency(microseconds: 500_000), rate: 1000, sentTicks: 25_000_000,
              kernelTicks: 25_000_000, limit: 2100),
        .init(bits: 1_000_000, burst: 10_240, bound: .limit(bytes: 30_000), rate: 125_000, sentTicks: 1_280_000,
              kernelTicks: 1_280_000, limit: 30_000),
        // 10 mbit, burst 32 KiB: tc sends 409593 (26214 µs), the kernel keeps 409600 (26214400 ns) — seen on this kernel.
        .init(bits: 10_000_000, burst: 32_768, bound: .latency(microseconds: 50_000), rate: 1_250_000, sentTicks: 409_593,
              kernelTicks: 409_600, limit: 95_268),
        .init(bits: 100_000_000, burst: 100_000, bound: .latency(microseconds: 10_000), rate: 12_500_000,
              sentTicks: 125_000, kernelTicks: 125_000, limit: 225_000),
        .init(bits: 1_000_000_000, burst: 125_000, bound: .latency(microseconds: 5000), rate: 125_000_000,
              sentTicks: 15_625, kernelTicks: 15_625, limit: 750_000),
        // Jumbo frames at 1 gbit: 18028 bytes = 144.224 µs → tc 144 µs = 2250 ticks; the kernel 2253.
        .init(bits: 1_000_000_000, burst: 18_028, bound: .latency(microseconds: 1000), rate: 125_000_000,
              sentTicks: 2250, kernelTicks: 2253, limit: 143_028),
        .init(bits: 123_456_789, burst: 4000, bound: .latency(microseconds: 20_000), rate: 15_432_098, sentTicks: 4046,
              kernelTicks: 4050, limit: 312_641),
        .init(bits: 10_000_000_000, burst: 1_250_000, bound: .limit(bytes: 5_000_000), rate: 1_250_000_000,
              sentTicks: 15_625, kernelTicks: 15_624, limit: 5_000_000),
        // 40 gbit = 5e9 B/s needs TCA_TBF_RATE64; tc computes the ticks from the 32-bit field (2^32−1 B/s).
        .init(bits: 40_000_000_000, burst: 5_000_000, bound: .latency(microseconds: 1000), rate: 5_000_000_000,
              sentTicks: 18_187, kernelTicks: 15_624, limit: 10_000_000),
    ]

    @Test(arguments: tbfCases)
    func tbf(_ testCase: TBFCase) throws {
        let p = try TBFParameters(
            TBFRequest(bitsPerSecond: testCase.bits, burst: testCase.burst, queueBound: testCase.bound), mode: .tc)
        #expect(p.rate.bytesPerSecond == testCase.rate)
        #expect(p.bufferTicks == testCase.sentTicks)
        #expect(p.kernelBufferTicks == testCase.kernelTicks)
        #expect(p.limit == testCase.limit)
        #expect(p.effectiveBurst == testCase.burst)
        #expect(p.rate.needs64BitAttribute == (testCase.rate >= 1 << 32))
    }

    @Test func tbfWithPeakRate() throws {
        let p = try TBFParameters(
            TBFRequest(bitsPerSecond: 10_000_000, burst: 32_768, queueBound: .latency(microseconds: 50_000), mtu: 1514,
                       peakBitsPerSecond: 20_000_000), mode: .tc)
        #expect(p.peakTicks == 9453)  // ⌊1e6×1514/2500000⌋ = 605 µs × 15.625
        #expect(p.kernelPeakTicks == 9462)
        #expect(p.limit == 95_268)  // min(1250000×0.05 + 32768, 2500000×0.05 + 1514)
        #expect(p.effectiveBurst == 1514)
    }

    @Test func tbfRefusesWhatTcRefuses() {
        #expect(throws: TokenBucketError.self) { try TBFParameters(TBFRequest(bitsPerSecond: 8000), mode: .tc) }
        #expect(throws: TokenBucketError.self) {
            try TBFParameters(TBFRequest(bitsPerSecond: 8000, burst: 1600), mode: .tc)
        }
        #expect(throws: TokenBucketError.self) {
            try TBFParameters(TBFRequest(bitsPerSecond: 8000, burst: 1600, queueBound: .limit(bytes: 0)), mode: .tc)
        }
        #expect(throws: TokenBucketError.self) {  // peak not above the rate: the kernel says EINVAL
            try TBFParameters(TBFRequest(bitsPerSecond: 8000, burst: 1600, queueBound: .limit(bytes: 3000), mtu: 1514,
                                         peakBitsPerSecond: 8000), mode: .tc)
        }
        #expect(throws: TokenBucketError.self) {  // 5e9 bytes at 8 kbit overflows 32-bit µs
            try TBFParameters(TBFRequest(bitsPerSecond: 8000, burst: 4_000_000_000, queueBound: .limit(bytes: 4_000_000_001)),
                              mode: .tc)
        }
        #expect(throws: TokenBucketError.self) {
            try TBFParameters(TBFRequest(bitsPerSecond: 7, burst: 1600, queueBound: .limit(bytes: 3000)), mode: .tc)
        }
    }

    @Test func tbfWarnsLikeTheKernelAboutSmallBursts() throws {
        let p = try TBFParameters(TBFRequest(bitsPerSecond: 1_000_000, burst: 1000, queueBound: .limit(bytes: 10_000)),
                                  mode: .tc)
        #expect(p.warnings.contains { $0.contains("burst 1000 is lower than device mtu (1514)") })
    }

    struct HTBCase: Sendable, CustomTestStringConvertible {
        let request: HTBRequest
        let burst: UInt32, cburst: UInt32, bufferTicks: UInt32, cbufferTicks: UInt32
        let effectiveBurst: UInt64, effectiveCburst: UInt64, kernelQuantum: UInt32
        var testDescription: String { "\(request.bitsPerSecond) bit/s" }
    }

    static let htbCases: [HTBCase] = [
        // 1000 B/s: burst 1600 → 1600000 µs → 25000000 ticks; quantum 100 → raised to 1000.
        .init(request: HTBRequest(bitsPerSecond: 8000), burst: 1600, cburst: 1600, bufferTicks: 25_000_000,
              cbufferTicks: 25_000_000, effectiveBurst: 1600, effectiveCburst: 1600, kernelQuantum: 1000),
        .init(request: HTBRequest(bitsPerSecond: 1_000_000), burst: 1600, cburst: 1600, bufferTicks: 200_000,
              cbufferTicks: 200_000, effectiveBurst: 1600, effectiveCburst: 1600, kernelQuantum: 12_500),
        .init(request: HTBRequest(bitsPerSecond: 100_000_000, ceilBitsPerSecond: 200_000_000), burst: 1600, cburst: 1600,
              bufferTicks: 2000, cbufferTicks: 1000, effectiveBurst: 1600, effectiveCburst: 1600, kernelQuantum: 200_000),
        // 5 gbit: 1600 bytes = 2.56 µs → 2 µs → 31 ticks, which hold only 1240 bytes.
        .init(request: HTBRequest(bitsPerSecond: 5_000_000_000), burst: 1600, cburst: 1600, bufferTicks: 31,
              cbufferTicks: 31, effectiveBurst: 1240, effectiveCburst: 1240, kernelQuantum: 200_000),
        // 40 gbit: burst = 5e9/1e9 + 1600 = 1605 bytes = 0.321 µs → 0 ticks.
        .init(request: HTBRequest(bitsPerSecond: 40_000_000_000), burst: 1605, cburst: 1605, bufferTicks: 0,
              cbufferTicks: 0, effectiveBurst: 0, effectiveCburst: 0, kernelQuantum: 200_000),
        .init(request: HTBRequest(bitsPerSecond: 1_000_000_000, mtu: 9000), burst: 9000, cburst: 9000, bufferTicks: 1125,
              cbufferTicks: 1125, effectiveBurst: 9000, effectiveCburst: 9000, kernelQuantum: 200_000),
        .init(request: HTBRequest(bitsPerSecond: 20_000_000, burst: 15_000, quantum: 3000, r2q: 5), burst: 15_000,
              cburst: 1600, bufferTicks: 93_750, cbufferTicks: 10_000, effectiveBurst: 15_000, effectiveCburst: 1600,
              kernelQuantum: 3000),
        // Seen on this kernel: buffer [000278d0] cbuffer [0000001f].
        .init(request: HTBRequest(bitsPerSecond: 1_234_567, ceilBitsPerSecond: 5_000_000_000, quantum: 3000), burst: 1600,
              cburst: 1600, bufferTicks: 0x278d0, cbufferTicks: 0x1f, effectiveBurst: 1599, effectiveCburst: 1240,
              kernelQuantum: 3000),
        .init(request: HTBRequest(bitsPerSecond: 64_000, ceilBitsPerSecond: 128_000, cburst: 3000), burst: 1600,
              cburst: 3000, bufferTicks: 3_125_000, cbufferTicks: 2_929_687, effectiveBurst: 1600, effectiveCburst: 2999,
              kernelQuantum: 1000),
    ]

    @Test(arguments: htbCases)
    func htb(_ testCase: HTBCase) throws {
        let p = try HTBClassParameters(testCase.request, mode: .tc)
        #expect(p.burst == testCase.burst && p.cburst == testCase.cburst)
        #expect(p.bufferTicks == testCase.bufferTicks)
        #expect(p.cbufferTicks == testCase.cbufferTicks)
        #expect(p.effectiveBurst == testCase.effectiveBurst)
        #expect(p.effectiveCburst == testCase.effectiveCburst)
        #expect(p.kernelQuantum == testCase.kernelQuantum)
        #expect(p.quantum == (testCase.request.quantum ?? 0))
    }

    @Test func htbExplainsTheQuantumClampAndSmallBuckets() throws {
        let slow = try HTBClassParameters(HTBRequest(bitsPerSecond: 8000), mode: .tc)
        #expect(slow.quantumClamp?.contains("below 1000") == true)
        #expect(slow.warnings.contains("sch_htb: quantum of class is small. Consider r2q change."))
        let fast = try HTBClassParameters(HTBRequest(bitsPerSecond: 5_000_000_000), mode: .tc)
        #expect(fast.quantumClamp?.contains("above 200000") == true)
        #expect(fast.warnings.contains { $0.contains("holds 1240 bytes after rounding to ticks, below one frame") })
        #expect(fast.rate.needs64BitAttribute == false && fast.ceil.needs64BitAttribute == false)
        #expect(try HTBClassParameters(HTBRequest(bitsPerSecond: 40_000_000_000), mode: .tc).rate.needs64BitAttribute)
    }

    @Test func tcCommandLines() throws {
        let tbf = try TBFParameters(
            TBFRequest(bitsPerSecond: 10_000_000, burst: 32_768, queueBound: .latency(microseconds: 50_000)), mode: .tc)
        #expect(TcCommandLine.tbf(tbf, device: "veth0")
            == "tc qdisc replace dev veth0 root handle 7470: tbf rate 10000000bit burst 32768 latency 50000us")
        let htb = try HTBClassParameters(HTBRequest(bitsPerSecond: 20_000_000, burst: 15_000, quantum: 3000, r2q: 5),
                                         mode: .tc)
        #expect(TcCommandLine.htb(htb, device: "eth1") == [
            "tc qdisc replace dev eth1 root handle 7470: htb default 1 r2q 5",
            "tc class replace dev eth1 parent 7470: classid 7470:1 htb rate 20000000bit ceil 20000000bit burst 15000 quantum 3000",
        ])
    }
}
