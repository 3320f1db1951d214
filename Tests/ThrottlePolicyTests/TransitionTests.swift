import Foundation
import Testing
import ThrottlePolicy
import TokenBucket

/// The public simulation API: transitions, the walker on a virtual clock, transfer estimates.
struct TransitionTests {
    func instant(_ text: String) throws -> Date { try ISO8601.parse(text) }

    func nightShift() throws -> Policy {
        try PolicyLoader.policy(text: """
            time-zone: Europe/Berlin
            work-days: [sun, mon, tue, wed, thu]
            work-hours: {start: "22:00", end: "06:00"}
            work-hour-bandwidth: 40mbit
            non-work-hour-bandwidth: unlimited
            """, file: "night.yaml")
    }

    /// Transitions are exactly the boundaries of the timeline (a second, independent walk of the schedule).
    @Test(arguments: ["2026-03-20T00:00:00Z", "2026-10-18T00:00:00Z", "2026-12-20T00:00:00Z"])
    func transitionsAreTheTimelineBoundaries(from text: String) throws {
        let schedule = Schedule(policy: try nightShift())
        let from = try instant(text)
        let transitions = schedule.transitions(after: from, limit: 20)
        #expect(transitions.count == 20)
        let to = try #require(transitions.last?.instant).addingTimeInterval(1)
        let boundaries = schedule.timeline(from: from, to: to).dropFirst().map(\.start)
        #expect(transitions.map(\.instant) == boundaries)
        for (previous, next) in zip(transitions, transitions.dropFirst()) {
            #expect(previous.window.end == next.instant)
            #expect(next.previous == previous.allowance)
            #expect(previous.allowance != next.allowance)
        }
    }

    @Test func limitIsClampedAndNoThrottleHasNone() throws {
        let schedule = Schedule(policy: try nightShift())
        let from = try instant("2026-01-01T00:00:00Z")
        #expect(schedule.transitions(after: from, limit: 0).isEmpty)
        #expect(schedule.transitions(after: from, limit: -5).isEmpty)
        #expect(schedule.transitions(after: from, limit: 50_000).count == Schedule.maximumTransitions)
        let off = Schedule(policy: .noThrottle(timeZone: .utc))
        #expect(off.transitions(after: from, limit: 10).isEmpty)
    }

    /// A week with the spring-forward night, walked on a virtual clock: every step lands on a transition,
    /// and the window in force there is the one the transition announced.
    @Test func walkingAWeekOnAVirtualClock() throws {
        let schedule = Schedule(policy: try nightShift())
        let clock = VirtualClock(now: try instant("2026-03-26T12:00:00+01:00"))
        let walker = ScheduleWalker(schedule: schedule, clock: clock)
        #expect(walker.currentWindow.kind == .nonWorkHours)
        let end = try instant("2026-04-02T12:00:00+02:00")
        var steps: [Transition] = []
        while let transition = walker.advanceToNextTransition(), transition.instant < end {
            #expect(clock.now == transition.instant)
            #expect(walker.currentWindow.allowance == transition.allowance)
            #expect(walker.currentWindow.start == transition.instant)
            steps.append(transition)
        }
        // Thu night, then Sun–Wed nights: 5 windows, 10 transitions. Sunday's starts at 22:00 summer time.
        #expect(steps.count == 10)
        #expect(steps[2].instant == (try instant("2026-03-29T22:00:00+02:00")))
        #expect(steps[1].instant.timeIntervalSince(steps[0].instant) == 8 * 3600)
        clock.advance(by: -3600)
        #expect(walker.secondsToNextTransition == 3600)
    }

    /// 40 GiB from Friday 17:00 under 20 Mbit/s work hours (Mon–Fri 08:00–18:30) and 400 Mbit/s otherwise.
    @Test func fortyGibibytesFromFridayAfternoon() throws {
        let policy = try Policy(
            workDays: Weekday.parseList("mon-fri"),
            workHours: WorkHours(start: TimeOfDay(parsing: "08:00"), end: TimeOfDay(parsing: "18:30")),
            workHourBandwidth: Bandwidth(parsing: "20mbit"), nonWorkHourBandwidth: Bandwidth(parsing: "400mbit"),
            timeZone: TimeZoneName.parse("America/New_York"))
        let start = try instant("2026-11-27T17:00:00-05:00")
        let estimate = try Schedule(policy: policy).estimateTransfer(bytes: 40 * 1 << 30, startingAt: start)
        // Friday 17:00–18:30 at 20 Mbit/s, then the weekend's 400 Mbit/s carries the rest.
        let firstWindow = 20_000_000.0 / 8 * 5400
        let rest = Double(40 * 1 << 30) - firstWindow
        let expected = start.addingTimeInterval(5400 + rest / (400_000_000.0 / 8))
        #expect(abs(estimate.finish.timeIntervalSince(expected)) < 0.001)
        #expect(estimate.windows.map(\.kind) == ["work-hours", "non-work-hours"])
        #expect(estimate.windows.map(\.bytes).reduce(0, +) == 40 * 1 << 30)
    }

    @Test func unlimitedWindowsNeedALinkSpeed() throws {
        let schedule = Schedule(policy: try nightShift())
        let start = try instant("2026-03-27T12:00:00+01:00")
        #expect(throws: TokenBucketError.self) { try schedule.estimateTransfer(bytes: 1 << 30, startingAt: start) }
        let estimate = try schedule.estimateTransfer(
            bytes: 1 << 30, startingAt: start, linkBitsPerSecond: 1_000_000_000)
        #expect(abs(estimate.seconds - Double(1 << 30) * 8 / 1e9) < 0.001)
    }
}
