import Benchmark
import Foundation
import ThrottlePolicy
import TokenBucket

/// Targets (issue "Token-bucket maths"): simulator ≥ 10 million packets per second; a one-year transfer
/// estimate under 1 ms.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(3))

    // One million packets: a 2× overloaded 100 Mbit/s bucket with mixed sizes (64 … 1514 bytes).
    let packetCount = 1_000_000
    var arrivals: [TokenBucketSimulator.Arrival] = []
    arrivals.reserveCapacity(packetCount)
    var time = 0.0
    for index in 0..<packetCount {
        let size = UInt32([64, 576, 1514, 1514][index % 4])
        arrivals.append(.init(time: time, size: size))
        time += Double(size) / 25_000_000
    }
    let configuration = TokenBucketSimulator.Configuration(bytesPerSecond: 12_500_000, bucketBytes: 62_500,
                                                           queueLimitBytes: 687_500)

    // One run handles the million packets; the scaling factor reports the figures per packet.
    Benchmark("simulator: per packet (1M-packet runs)", configuration: .init(scalingFactor: .mega)) { _ in
        var simulator = TokenBucketSimulator(configuration)
        var departed = 0
        for arrival in arrivals {
            if case .departed = simulator.offer(arrival) { departed += 1 }
        }
        blackHole(departed)
    }

    // The MARS example (≈ 2 Mibit/s on average): 8 TB takes about a year.
    let policy = try! Policy(
        workDays: [.monday, .tuesday],
        workHours: WorkHours(start: TimeOfDay(parsing: "09:00"), end: TimeOfDay(parsing: "18:00")),
        workHourBandwidth: .bitsPerSecond(524_288), nonWorkHourBandwidth: .bitsPerSecond(2_097_152),
        timeZone: try! TimeZoneDatabase.system.zone(named: "Europe/Berlin"), exceptionDates: [], osProfile: .windowsServer2019)
    let schedule = Schedule(policy: policy)
    let start = Date(timeIntervalSince1970: 1_767_225_600)

    Benchmark("transfer estimate: 8 TB over one year") { benchmark in
        for _ in benchmark.scaledIterations {
            let estimate = try! TransferEstimator.estimate(bytes: 8_000_000_000_000, start: start, linkBitsPerSecond: nil) {
                from, to in
                schedule.timeline(from: from, to: to).map { window in
                    RateSegment(start: window.start!, end: window.end!, bitsPerSecond: window.bandwidth.bitsPerSecond,
                                kind: window.kind.rawValue)
                }
            }
            blackHole(estimate)
        }
    }
}
