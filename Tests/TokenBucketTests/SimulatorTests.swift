import Testing
import TokenBucket

/// The simulator against closed-form answers.
struct SimulatorTests {
    typealias Arrival = TokenBucketSimulator.Arrival

    /// Packets of `size` bytes at `bytesPerSecond`, for `count` packets from t = 0.
    func constantSource(bytesPerSecond: Double, size: UInt32, count: Int) -> [Arrival] {
        (0..<count).map { Arrival(time: Double($0) * Double(size) / bytesPerSecond, size: size) }
    }

    @Test func sourceBelowTheRatePassesUndelayed() {
        let config = TokenBucketSimulator.Configuration(bytesPerSecond: 125_000, bucketBytes: 3000, queueLimitBytes: 30_000)
        let report = TokenBucketSimulator.run(config, arrivals: constantSource(bytesPerSecond: 100_000, size: 1000, count: 5000))
        #expect(report.departedPackets == 5000 && report.droppedPackets == 0)
        #expect(report.maximumQueueDelay < 1e-9)
    }

    @Test func sourceAboveTheRateDepartsAtTheRateAfterTheBurst() {
        // Source at 2× the rate, queue large enough: packet k (0-based) leaves at max(a_k, ((k+1)S − B) / r).
        let rate = 125_000.0
        let size: UInt32 = 1000
        let bucket = 5000.0
        let config = TokenBucketSimulator.Configuration(bytesPerSecond: rate, bucketBytes: bucket, queueLimitBytes: 1e12)
        let arrivals = constantSource(bytesPerSecond: 2 * rate, size: size, count: 2000)
        let report = TokenBucketSimulator.run(config, arrivals: arrivals)
        #expect(report.droppedPackets == 0)
        for (k, outcome) in report.outcomes.enumerated() {
            let expected = max(arrivals[k].time, (Double(k + 1) * Double(size) - bucket) / rate)
            guard case .departed(let time) = outcome else {
                Issue.record("packet \(k) dropped")
                continue
            }
            #expect(abs(time - expected) < 1e-9, "packet \(k): \(time) vs \(expected)")
        }
        // Long-run throughput is the rate.
        let last = try! #require(report.lastDeparture)
        #expect(abs(Double(report.departedBytes) - bucket - rate * last) < 1e-6)
    }

    @Test func aBurstExactlyTheBucketLeavesAtOnce() {
        let config = TokenBucketSimulator.Configuration(bytesPerSecond: 1000, bucketBytes: 4000, queueLimitBytes: 100_000)
        let arrivals = (0..<5).map { _ in Arrival(time: 0, size: 1000) }
        let report = TokenBucketSimulator.run(config, arrivals: arrivals)
        #expect(report.outcomes.prefix(4).allSatisfy { $0 == .departed(at: 0) })
        #expect(report.outcomes[4] == .departed(at: 1.0))  // the fifth waits for 1000 bytes of tokens
    }

    @Test func theQueueFillsToItsLimitThenDrops() {
        // Bucket of one packet, limit of 4 packets: at t = 0 the first leaves, four wait, the rest are dropped.
        let config = TokenBucketSimulator.Configuration(bytesPerSecond: 1000, bucketBytes: 1000, queueLimitBytes: 4000)
        var arrivals = [Arrival(time: 0, size: 1000)]
        arrivals += (0..<10).map { _ in Arrival(time: 0.000_001, size: 1000) }
        let report = TokenBucketSimulator.run(config, arrivals: arrivals)
        #expect(report.departedPackets == 5)
        #expect(report.droppedQueueFull == 6)
        #expect(report.outcomes[4] == .departed(at: 4.0))
        #expect(report.maximumQueueDelay > 3.99)
    }

    @Test func packetsLargerThanTheBucketAreDropped() {
        let config = TokenBucketSimulator.Configuration(bytesPerSecond: 1000, bucketBytes: 1500, queueLimitBytes: 100_000)
        let report = TokenBucketSimulator.run(config, arrivals: [Arrival(time: 0, size: 1514), Arrival(time: 0, size: 1500)])
        #expect(report.outcomes == [.dropped(.largerThanBucket), .departed(at: 0)])
    }

    @Test func tbfParametersConfigureTheSimulatorAsTheKernelWould() throws {
        let p = try TBFParameters(TBFRequest(bitsPerSecond: 1_000_000, burst: 1000, queueBound: .limit(bytes: 10_000)),
                                  mode: .tc)
        let config = TokenBucketSimulator.Configuration(p)
        #expect(config.bucketBytes == 1000 && config.queueLimitBytes == 10_000 && config.bytesPerSecond == 125_000)
        let report = TokenBucketSimulator.run(config, arrivals: [Arrival(time: 0, size: 1514)])
        #expect(report.droppedLargerThanBucket == 1)  // what the kernel's "burst lower than mtu" warning means
    }
}
