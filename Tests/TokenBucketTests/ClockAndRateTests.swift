import Testing
import TokenBucket

struct ClockAndRateTests {
    @Test func parsesProcNetPsched() throws {
        let clock = try PacketSchedulerClock(procNetPsched: "000003e8 00000040 000f4240 3b9aca00\n")
        #expect(clock == .highResolution)
        #expect(clock.ticksPerMicrosecond == 15.625)
        #expect(clock.hz == 1_000_000_000)
        #expect(clock.nanoseconds(ticks: 10) == 640)
        #expect(clock.description == "000003e8 00000040 000f4240 3b9aca00")
    }

    @Test func olderClocksFollowTcsRules() throws {
        // A kernel advertising nanosecond resolution as 1e9 in the third field: tc's compatibility hack.
        let nano = try PacketSchedulerClock(procNetPsched: "000003e8 00000400 3b9aca00 3b9aca00")
        #expect(nano.ticksPerMicrosecond == 1000)
        #expect(nano.hz == 100)  // the third field is not 1000000: tc falls back to its compiled HZ
        let jiffies = try PacketSchedulerClock(procNetPsched: "00000001 00000001 000f4240 000000fa")
        #expect(jiffies.ticksPerMicrosecond == 1)
        #expect(jiffies.hz == 250)
    }

    @Test func unreadableOrMalformedClockIsAnError() {
        struct Missing: Error {}
        #expect(throws: TokenBucketError.self) {
            try PacketSchedulerClock.read(using: { _ in throw Missing() })
        }
        for text in ["", "3e8 40 f4240", "zz 40 f4240 3b9aca00", "0 40 f4240 3b9aca00"] {
            #expect(throws: TokenBucketError.self) { try PacketSchedulerClock(procNetPsched: text) }
        }
        let injected = try? PacketSchedulerClock.read(using: { path in
            #expect(path == "/proc/net/psched")
            return "000003e8 00000040 000f4240 3b9aca00"
        })
        #expect(injected == .highResolution)
    }

    @Test func kernelRateMultiplierAndShift() {
        // 10 mbit = 1250000 B/s: factor 1e9 doubles until mult = 1e9 × 2^22 / 1250000 = 3355443200 has bit 31.
        let rate = KernelRate(bytesPerSecond: 1_250_000)
        #expect(rate.mult == 3_355_443_200 && rate.shift == 22)
        #expect(rate.nanoseconds(toSend: 32_768) == 26_214_400)
        #expect(rate.bytes(sentIn: 26_214_400) == 32_768)
        #expect(!rate.needs64BitAttribute && rate.rate32 == 1_250_000)
        let fast = KernelRate(bytesPerSecond: 5_000_000_000)
        #expect(fast.needs64BitAttribute && fast.rate32 == .max)
    }

    @Test(arguments: [
        ("1514", UInt64(1514)), ("32KiB", 32_768), ("32KB", 32_000), ("1.5MB", 1_500_000), ("2TiB", 2_199_023_255_552),
        ("1GiB", 1_073_741_824), ("100 B", 100), ("0.5KiB", 512),
    ])
    func sizes(text: String, bytes: UInt64) throws {
        #expect(try ByteSize.parse(text) == bytes)
    }

    @Test(arguments: ["32kb", "32k", "1.5B", "many", "-1KB", "1..5KB"])
    func badSizes(text: String) {
        #expect(throws: TokenBucketError.self) { try ByteSize.parse(text) }
    }

    @Test func durations() throws {
        #expect(try Duration.microseconds("50ms") == 50_000)
        #expect(try Duration.microseconds("1.5ms") == 1500)
        #expect(try Duration.microseconds("200us") == 200)
        #expect(try Duration.microseconds("2s") == 2_000_000)
        for text in ["50", "0.5us", "1h", "soon"] {
            #expect(throws: TokenBucketError.self) { try Duration.microseconds(text) }
        }
    }
}
