import Foundation
import PropertyBased
import Testing
import ThrottlePolicy

/// Random policies over zones with unusual daylight-saving rules, checked against the timeline's invariants.
struct SchedulePropertyTests {
    static let zones = [
        "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Apia", "Etc/UTC",
        "America/Santiago", "Asia/Tehran", "Pacific/Chatham", "America/St_Johns",
    ]

    /// A policy from generated numbers: a day mask, start/end minutes, a zone, and exception day offsets.
    static func policy(mask: Int, startMinute: Int, endMinute: Int, zone: String, exceptions: [Int], base: Int)
        throws -> Policy?
    {
        let days = Set(Weekday.allCases.filter { mask & (1 << $0.rawValue) != 0 })
        let start = try TimeOfDay(parsing: "\(startMinute / 60):\(pad2(startMinute % 60))")
        let end = endMinute == 1440 ? TimeOfDay.endOfDay : try TimeOfDay(parsing: "\(endMinute / 60):\(pad2(endMinute % 60))")
        guard let hours = try? WorkHours(start: start, end: end) else { return nil }
        let baseDay = base / 86_400
        return try Policy(
            workDays: days, workHours: hours, workHourBandwidth: .bitsPerSecond(1_000_000),
            nonWorkHourBandwidth: .bitsPerSecond(5_000_000), timeZone: TimeZoneName.parse(zone),
            exceptionDates: Set(exceptions.map { LocalDate(dayNumber: baseDay + $0) }))
    }

    static func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// One generated scenario.
    struct Scenario: Sendable {
        let mask: Int, startMinute: Int, endMinute: Int, zone: String, exceptions: [Int], from: Int, span: Int

        var policy: Policy? {
            get throws {
                try SchedulePropertyTests.policy(mask: mask, startMinute: startMinute, endMinute: endMinute,
                                                 zone: zone, exceptions: exceptions, base: from)
            }
        }
        var lower: Date { Date(timeIntervalSince1970: TimeInterval(from)) }
        var upper: Date { lower.addingTimeInterval(TimeInterval(span)) }
    }

    static let scenarios = zip(
        Gen.int(in: 0...127),
        // Half of the work hours start or end between 00:00 and 04:00, where clocks change.
        Gen.int(in: 0...2879).map { $0 < 1440 ? $0 : $0 % 240 }, Gen.int(in: 1...2880).map { $0 <= 1440 ? $0 : $0 % 240 + 1 }, Gen.element(of: zones).compactMap { $0 },
        Gen.int(in: -3...20).array(of: 0...5),
        // Instants from 2010 to 2035, often landing near DST changes, and spans up to 40 days.
        Gen.int(in: 1_262_304_000...2_051_222_400), Gen.int(in: 3600...(40 * 86_400))
    ).map { Scenario(mask: $0.0, startMinute: $0.1, endMinute: $0.2, zone: $0.3, exceptions: $0.4, from: $0.5, span: $0.6) }

    @Test func timelinesAreContiguousCompleteAndAlternating() async throws {
        await propertyCheck(count: 500, input: Self.scenarios) { scenario in
            guard let policy = try scenario.policy else { return }
            let schedule = Schedule(policy: policy)
            let lower = scenario.lower
            let upper = scenario.upper
            let timeline = schedule.timeline(from: lower, to: upper)
            try #require(!timeline.isEmpty)
            #expect(timeline.first?.start == lower)
            #expect(timeline.last?.end == upper)
            for window in timeline {
                let start = try #require(window.start)
                let end = try #require(window.end)
                #expect(start < end, "empty window \(window)")
            }
            for (earlier, later) in zip(timeline, timeline.dropFirst()) {
                #expect(earlier.end == later.start, "gap or overlap between \(earlier) and \(later)")
                #expect(earlier.allowance != later.allowance, "neighbours alike: \(earlier), \(later)")
            }
        }
    }

    @Test func pointQueriesAgreeWithTheTimeline() async throws {
        await propertyCheck(count: 500, input: Self.scenarios, Gen.int(in: 0...1_000_000)) { scenario, sampleSeed in
            guard let policy = try scenario.policy else { return }
            let schedule = Schedule(policy: policy)
            let lower = scenario.lower
            let upper = scenario.upper
            let timeline = schedule.timeline(from: lower, to: upper)
            // Sample each window's first instant, last second, and a point inside.
            for (index, window) in timeline.enumerated() {
                let start = try #require(window.start)
                let end = try #require(window.end)
                let inside = start.addingTimeInterval(end.timeIntervalSince(start) * Double(sampleSeed % 997) / 997)
                for instant in [start, inside, max(start, end.addingTimeInterval(-1))] {
                    #expect(schedule.bandwidth(at: instant) == window.allowance, "at \(instant) in \(window)")
                    let whole = schedule.window(at: instant)
                    #expect(whole.allowance == window.allowance)
                    #expect(whole.contains(instant))
                }
                // The true window reaches at least as far as the clipped one.
                let whole = schedule.window(at: start)
                #expect(whole.start.map { $0 <= start } ?? true)
                #expect(whole.end.map { $0 >= end } ?? true)
                if index + 1 < timeline.count {
                    #expect(whole.end == end, "window ends where the next starts")
                }
            }
        }
    }

    @Test func nextTransitionIsLaterAndStartsTheNextWindow() async throws {
        await propertyCheck(count: 500, input: Self.scenarios) { scenario in
            guard let policy = try scenario.policy else { return }
            let schedule = Schedule(policy: policy)
            let instant = scenario.lower
            guard let next = schedule.nextTransition(after: instant) else {
                // No change ever: the allowance is the same a long way ahead.
                #expect(schedule.bandwidth(at: instant.addingTimeInterval(30 * 86_400)) == schedule.bandwidth(at: instant))
                return
            }
            #expect(next > instant)
            #expect(schedule.bandwidth(at: next) != schedule.bandwidth(at: instant))
            #expect(schedule.bandwidth(at: next.addingTimeInterval(-0.5)) == schedule.bandwidth(at: instant))
            let timeline = schedule.timeline(from: instant, to: next.addingTimeInterval(3600))
            #expect(timeline.count >= 2)
            #expect(timeline.dropFirst().first?.start == next)
        }
    }
}
