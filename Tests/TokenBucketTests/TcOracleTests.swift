import Testing
import TokenBucket

/// The token-bucket maths against tc's and the kernel's formulas written out a second way: exact integer
/// arithmetic (no `Double`, nothing from `Sources/TokenBucket`), from iproute2 6.1's tc_core.c, q_tbf.c and
/// q_htb.c and the kernel's sch_tbf.c / sch_generic.c:
///
///   rate      = ⌊bits / 8⌋ bytes/s; tc's 32-bit field holds min(rate, 2³²−1)
///   tc ticks  = ⌊⌊10⁶ × size / rate⌋ × 125 / 8⌋            (tick_in_usec = 15.625 = 125/8 on this clock)
///   kernel    = (size × 10⁹ / rate ns) / 64, from below: the kernel's 32-bit multiplier rounds down by
///               less than one part in 2³¹, so it lands on the exact tick or the one before
///   limit     = ⌊rate × latency_µs / 10⁶ + burst⌋
///   safe TBF  = burst max(2 frames, ⌈rate × 5 ms⌉), limit max(⌊rate × 50 ms⌋ + burst, burst + 16 frames)
///   safe HTB  = the fewest ticks whose bytes ⌊ticks × 64 × rate / 10⁹⌋ hold the burst
struct TcOracleTests {
    /// ⌊a × b / c⌋ without overflow (the result must fit 64 bits).
    static func floorMulDiv(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        c.dividingFullWidth(a.multipliedFullWidth(by: b)).quotient
    }

    static func ceilMulDiv(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        let (q, r) = c.dividingFullWidth(a.multipliedFullWidth(by: b))
        return r == 0 ? q : q + 1
    }

    static func tcTicks(size: UInt64, rate: UInt64) -> UInt64 {
        floorMulDiv(floorMulDiv(1_000_000, size, rate), 125, 8)
    }

    static func exactKernelTicks(size: UInt64, rate: UInt64) -> UInt64 { floorMulDiv(size, 1_000_000_000, rate) / 64 }

    static let tcRates: [UInt64] = [8000, 56_000, 1_000_000, 1_234_567, 10_000_000, 100_000_000, 999_999_999,
                                    1_000_000_000, 5_000_000_000, 10_000_000_000, 40_000_000_000]
    static let bursts: [UInt64] = [1600, 15_000, 32_768, 100_000, 1_048_576]
    static let latencies: [UInt64] = [1000, 20_000, 50_000, 400_000]

    @Test(arguments: tcRates, bursts)
    func tcModeTBF(bits: UInt64, burst: UInt64) throws {
        let rate = bits / 8
        let rate32 = min(rate, UInt64(UInt32.max))
        for latency in Self.latencies {
            let request = TBFRequest(bitsPerSecond: bits, burst: burst, queueBound: .latency(microseconds: latency))
            // Past 32 bits of ticks or of limit bytes, C would wrap: the maths must refuse instead.
            guard Self.tcTicks(size: burst, rate: rate32) <= UInt64(UInt32.max),
                Self.exactKernelTicks(size: burst, rate: rate) <= UInt64(UInt32.max),
                Self.floorMulDiv(rate, latency, 1_000_000) + burst <= UInt64(UInt32.max)
            else {
                #expect(throws: TokenBucketError.self) { try TBFParameters(request, mode: .tc) }
                continue
            }
            let p = try TBFParameters(TBFRequest(bitsPerSecond: bits, burst: burst, queueBound: .latency(microseconds: latency)),
                                      mode: .tc)
            #expect(p.rate.bytesPerSecond == rate)
            #expect(UInt64(p.bufferTicks) == Self.tcTicks(size: burst, rate: rate32), "sent ticks, \(latency) µs")
            let exact = Self.exactKernelTicks(size: burst, rate: rate)
            #expect(UInt64(p.kernelBufferTicks) == exact || UInt64(p.kernelBufferTicks) + 1 == exact, "kernel ticks")
            #expect(UInt64(p.limit) == Self.floorMulDiv(rate, latency, 1_000_000) + burst, "limit, \(latency) µs")
            #expect(p.rate.needs64BitAttribute == (rate > UInt64(UInt32.max) - 1))
        }
    }

    static let safeRates: [UInt64] = [8000, 8001, 64_000, 524_288, 1_000_000, 10_000_000, 123_456_789, 1_000_000_000,
                                      25_000_000_000, 100_000_000_000, 600_000_000_000]
    static let mtus: [UInt32] = [68, 576, 1500, 9000, 65_536, 131_072]

    @Test(arguments: safeRates, mtus)
    func safeModeTBF(bits: UInt64, mtu: UInt32) throws {
        let rate = bits / 8
        let frame = UInt64(mtu) + 14
        let burst = max(2 * frame, Self.ceilMulDiv(rate, 5, 1000))
        let limit = max(Self.floorMulDiv(rate, 50_000, 1_000_000) + burst, burst + 16 * frame)
        let p = try TBFParameters(TBFRequest(bitsPerSecond: bits, mtu: mtu), mode: .safe)
        #expect(UInt64(p.burst) == burst)
        #expect(UInt64(p.limit) == limit)
        let exact = Self.exactKernelTicks(size: burst, rate: rate)
        #expect(UInt64(p.kernelBufferTicks) == exact || UInt64(p.kernelBufferTicks) + 1 == exact)
        #expect(p.bufferTicks == p.kernelBufferTicks)
        #expect(p.effectiveBurst == burst)
    }

    @Test(arguments: safeRates, mtus)
    func safeModeHTB(bits: UInt64, mtu: UInt32) throws {
        let rate = bits / 8
        let frame = UInt64(mtu) + 14
        let burst = max(2 * frame, Self.ceilMulDiv(rate, 5, 1000))
        func holds(_ ticks: UInt64) -> UInt64 { Self.floorMulDiv(ticks * 64, rate, 1_000_000_000) }
        let p = try HTBClassParameters(HTBRequest(bitsPerSecond: bits, mtu: mtu), mode: .safe)
        #expect(UInt64(p.burst) == burst)
        let ticks = UInt64(p.bufferTicks)
        #expect(holds(ticks) >= burst && holds(ticks - 1) < burst, "the fewest ticks that hold the burst")
        #expect(p.effectiveBurst == holds(ticks))
        let quantum = min(max(rate / 10, frame), 200_000)
        #expect(UInt64(p.quantum) == quantum && p.kernelQuantum == p.quantum)
    }

    @Test(arguments: tcRates)
    func tcModeHTB(bits: UInt64) throws {
        let rate = bits / 8
        // q_htb.c: buffer = rate / get_hz() + mtu, HZ 10⁹ on hrtimer kernels, mtu 1600.
        let burst = rate / 1_000_000_000 + 1600
        let p = try HTBClassParameters(HTBRequest(bitsPerSecond: bits), mode: .tc)
        #expect(UInt64(p.burst) == burst)
        #expect(UInt64(p.bufferTicks) == Self.tcTicks(size: burst, rate: rate))
        #expect(p.quantum == 0)
        #expect(UInt64(p.kernelQuantum) == min(max(rate / 10, 1000), 200_000))
        // The kernel keeps the ticks as nanoseconds: its bucket holds ⌊ticks × 64 × rate / 10⁹⌋ bytes.
        #expect(p.effectiveBurst == Self.floorMulDiv(UInt64(p.bufferTicks) * 64, rate, 1_000_000_000))
    }
}
