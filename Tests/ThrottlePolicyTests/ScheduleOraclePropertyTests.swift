import Foundation
import PropertyBased
import Testing
import ThrottlePolicy

/// Random policies and instants across many zones: `Schedule` against ``BruteForceSchedule``, which works
/// from zdump's offsets for the same tzdata and shares no code with the engine.
@Suite(.enabled(if: Zdump.shouldRun, "zdump (Debian package libc-bin) is not installed"))
struct ScheduleOraclePropertyTests {
    static let zones = [
        "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Apia",
        "America/Havana", "Africa/Casablanca", "Europe/Dublin", "Antarctica/Troll", "America/St_Johns",
        "America/Santiago", "Asia/Tehran", "Pacific/Chatham", "Asia/Gaza", "Africa/Cairo", "America/Sao_Paulo",
        "Pacific/Kiritimati", "America/Nuuk", "Asia/Jerusalem", "Pacific/Fiji",
    ]
    static let tables: [String: ZdumpZone]? = try? Zdump.zones(zones)

    /// One generated case: days, hours, zone, exception days (relative to the base), and where to look.
    struct Scenario: Sendable {
        let mask: Int, startMinute: Int, endMinute: Int, zone: String, exceptions: [Int], seed: UInt64
    }

    static let scenarios = zip(
        Gen.int(in: 0...127),
        // Half of the hours start or end between 00:00 and 04:00, where clocks change.
        Gen.int(in: 0...2879).map { $0 < 1440 ? $0 : $0 % 240 },
        Gen.int(in: 1...2880).map { $0 <= 1440 ? $0 : $0 % 240 + 1 },
        Gen.element(of: zones).compactMap { $0 },
        Gen.int(in: -3...20).array(of: 0...5),
        Gen.int(in: 0...Int(Int32.max)).map { UInt64($0) }
    ).map { Scenario(mask: $0.0, startMinute: $0.1, endMinute: $0.2, zone: $0.3, exceptions: $0.4, seed: $0.5) }

    @Test func scheduleAgreesWithABruteForceEvaluationOverZdumpOffsets() async throws {
        let tables = try #require(Self.tables, "CI=true: zdump must be installed (contrib/install-deps.sh)")
        var compared = 0
        var byWallClock = 0
        var extents = 0
        await propertyCheck(count: 300, input: Self.scenarios) { scenario in
            guard scenario.startMinute != scenario.endMinute else { return }  // not a window
            let table = try #require(tables[scenario.zone])
            var random = SeededGenerator(seed: scenario.seed)
            // Half the cases start within three days before one of the zone's transitions.
            let late = Zdump.daysFromCivil(year: 2039, month: 9, day: 1) * 86_400
            let early = Zdump.daysFromCivil(year: 1990, month: 1, day: 1) * 86_400
            let nearby = table.transitions.filter { $0.instant > early && $0.instant < late }
            let base =
                scenario.seed % 2 == 0 && !nearby.isEmpty
                ? nearby.randomElement(using: &random)!.instant - Int.random(in: 0...(3 * 86_400), using: &random)
                : Int.random(in: early...late, using: &random)
            let range = base...(base + 10 * 86_400)
            let baseDay = BruteForceSchedule.day(ofLocal: base)
            let oracle = BruteForceSchedule(
                table: table, workDays: Set((0..<7).filter { scenario.mask & (1 << $0) != 0 }),
                startMinute: scenario.startMinute, endMinute: scenario.endMinute,
                exceptionDays: Set(scenario.exceptions.map { baseDay + $0 }), around: range)
            let schedule = Schedule(
                policy: try Self.policy(
                    scenario, zone: TimeZoneName.parse(scenario.zone),
                    baseDay: baseDay))

            let days = (baseDay - 20)...(baseDay + 31)
            let chunks = oracle.chunks(days: days)
            var instants = (0..<30).map { _ in Int.random(in: range, using: &random) }
            for day in (baseDay - 1)...(baseDay + 11) {
                guard let interval = oracle.interval(startingOn: day) else { continue }
                instants += [interval.start - 1, interval.start, interval.end - 1, interval.end].filter(range.contains)
            }
            for instant in instants {
                let date = Date(timeIntervalSince1970: TimeInterval(instant))
                let work = oracle.isWork(at: instant)
                #expect(
                    schedule.bandwidth(at: date).kind == (work ? .workHours : .nonWorkHours),
                    "\(scenario) at \(instant)")
                compared += 1
                // Far from any clock change, the schoolbook wall-clock rule must agree too (checks the oracle).
                if !table.transitions.contains(where: { abs($0.instant - instant) < 54 * 3600 }) {
                    #expect(
                        oracle.isWorkByWallClock(at: instant) == work, "oracle self-check \(scenario) at \(instant)")
                    byWallClock += 1
                }
                // Where the engine gives a window's extent, it is the brute force's (nil is past its horizon).
                let window = schedule.window(at: date)
                let expected: (start: Int?, end: Int?)
                if let chunk = chunks.first(where: { $0.start <= instant && instant < $0.end }) {
                    expected = (chunk.start, chunk.end)
                } else {
                    expected = (chunks.last { $0.end <= instant }?.end, chunks.first { $0.start > instant }?.start)
                }
                if let start = window.start {
                    #expect(Int(start.timeIntervalSince1970) == expected.start, "start, \(scenario) at \(instant)")
                    extents += 1
                }
                if let end = window.end {
                    #expect(Int(end.timeIntervalSince1970) == expected.end, "end, \(scenario) at \(instant)")
                    extents += 1
                }
            }
        }
        print("brute-force oracle: \(compared) instants, \(byWallClock) also by wall clock, \(extents) window ends")
        #expect(compared > 5000 && byWallClock > 1000 && extents > 5000)
    }

    static func policy(_ scenario: Scenario, zone: TimeZoneRules, baseDay: Int) throws -> Policy {
        func time(_ minutes: Int) throws -> TimeOfDay {
            minutes == 1440
                ? .endOfDay : try TimeOfDay(parsing: "\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)")
        }
        return try Policy(
            workDays: Set(Weekday.allCases.filter { scenario.mask & (1 << $0.rawValue) != 0 }),
            workHours: WorkHours(start: time(scenario.startMinute), end: time(scenario.endMinute)),
            workHourBandwidth: .bitsPerSecond(1_000_000), nonWorkHourBandwidth: .bitsPerSecond(5_000_000),
            timeZone: zone, exceptionDates: Set(scenario.exceptions.map { LocalDate(dayNumber: baseDay + $0) }))
    }
}
