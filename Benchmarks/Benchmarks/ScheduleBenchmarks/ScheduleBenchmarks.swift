import Benchmark
import Foundation
import ThrottlePolicy

/// Targets (issue "Policy model, schedule engine"): `bandwidth(at:)` p50 under 2 µs; a one-year timeline with
/// daylight saving and 20 exception dates p50 under 5 ms.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(3))

    let exceptions = Set((0..<20).map { LocalDate(dayNumber: 20_454 + $0 * 17) })  // 2026 onwards, every 17 days
    let policy = try! Policy(
        workDays: [.monday, .tuesday, .wednesday, .thursday, .friday],
        workHours: WorkHours(start: TimeOfDay(parsing: "09:00"), end: TimeOfDay(parsing: "18:00")),
        workHourBandwidth: .bitsPerSecond(524_288), nonWorkHourBandwidth: .bitsPerSecond(2_097_152),
        timeZone: try! TimeZoneDatabase.system.zone(named: "Europe/Berlin"), exceptionDates: exceptions, osProfile: .windowsServer2019)
    let schedule = Schedule(policy: policy)
    let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    Benchmark("bandwidth(at:)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        var instant = start
        for _ in benchmark.scaledIterations {
            instant = instant.addingTimeInterval(7_919)  // about 2.2 h: every hour of the week over time
            blackHole(schedule.bandwidth(at: instant))
        }
    }

    Benchmark("timeline one year (DST, 20 exception dates)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(schedule.timeline(from: start, to: start.addingTimeInterval(365 * 86_400)))
        }
    }

    Benchmark("window(at:) with true extent") { benchmark in
        var instant = start
        for _ in benchmark.scaledIterations {
            instant = instant.addingTimeInterval(7_919)
            blackHole(schedule.window(at: instant))
        }
    }
}
