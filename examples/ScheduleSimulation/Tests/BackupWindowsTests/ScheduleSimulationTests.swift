import BackupWindows
import Foundation
import Testing
import ThrottlePolicy
import TokenBucket

/// throttlectl's schedule used as a library, the way a backup tool's own tests would use it.
struct ScheduleSimulationTests {
    /// Office hours in Berlin, written as a policy file would be.
    static let officeHours = """
        time-zone: Europe/Berlin
        work-days: mon-fri
        work-hours: {start: "08:00", end: "18:00"}
        work-hour-bandwidth: 20mbit
        non-work-hour-bandwidth: 200mbit
        exception-dates: [2026-04-03]   # Good Friday
        """

    func instant(_ text: String) throws -> Date { try ISO8601.parse(text) }

    /// The week of the spring-forward night (Sunday 2026-03-29), stepped through on a virtual clock:
    /// every work window opens at 08:00 local time, which is 07:00 UTC before the change and 06:00 after.
    @Test func aWeekWithADaylightSavingChange() throws {
        let policy = try PolicyLoader.policy(text: Self.officeHours, file: "office-hours.yaml")
        let clock = VirtualClock(now: try instant("2026-03-27T00:00:00+01:00"))  // Friday
        let walker = ScheduleWalker(schedule: Schedule(policy: policy), clock: clock)
        let end = try instant("2026-04-01T00:00:00+02:00")
        var opened: [Date] = []
        while let transition = walker.advanceToNextTransition(), transition.instant < end {
            #expect(walker.currentWindow.kind == transition.allowance.kind)
            if transition.allowance.kind == .workHours { opened.append(transition.instant) }
        }
        #expect(opened == [
            try instant("2026-03-27T07:00:00Z"),  // Friday, winter time
            try instant("2026-03-30T06:00:00Z"),  // Monday, summer time
            try instant("2026-03-31T06:00:00Z"),
        ])
    }

    /// The same policy built in code instead of from text, checked the same way.
    @Test func aPolicyBuiltInCodeMatchesTheFile() throws {
        let fromFile = try PolicyLoader.policy(text: Self.officeHours, file: "office-hours.yaml")
        let built = try Policy(
            workDays: [.monday, .tuesday, .wednesday, .thursday, .friday],
            workHours: WorkHours(start: TimeOfDay(parsing: "08:00"), end: TimeOfDay(parsing: "18:00")),
            workHourBandwidth: .bitsPerSecond(20_000_000), nonWorkHourBandwidth: .bitsPerSecond(200_000_000),
            timeZone: TimeZoneName.parse("Europe/Berlin"), exceptionDates: [LocalDate(parsing: "2026-04-03")])
        let from = try instant("2026-03-23T00:00:00Z")
        #expect(Schedule(policy: built).transitions(after: from, limit: 30)
            == Schedule(policy: fromFile).transitions(after: from, limit: 30))
    }

    /// "When will 40 GiB finish if I start Friday 17:00?" One hour at 20 Mbit/s, then the evening's
    /// 200 Mbit/s: 9 GB in the first hour, the other 33.9 GB in 1,357.9 s more.
    @Test func fortyGibibytesFromFridayFivePM() throws {
        let planner = BackupPlanner(policy: try PolicyLoader.policy(text: Self.officeHours, file: "office-hours.yaml"))
        let start = try instant("2026-03-27T17:00:00+01:00")
        let bytes = try ByteSize.parse("40GiB")
        let finish = try planner.finish(ofBytes: bytes, startingAt: start)
        let expected = start.addingTimeInterval(3600 + (Double(bytes) - 20e6 / 8 * 3600) / (200e6 / 8))
        #expect(abs(finish.timeIntervalSince(expected)) < 0.001)
        #expect(finish < (try instant("2026-03-27T18:23:00+01:00")))
    }

    /// 5 TiB at 200 Mbit/s takes 61 hours: not between Wednesday evening and Thursday morning, but between
    /// Thursday evening and Monday morning when Good Friday is a holiday; never while work hours run.
    @Test func aLongBackupFitsTheHolidayWeekend() throws {
        let planner = BackupPlanner(policy: try PolicyLoader.policy(text: Self.officeHours, file: "office-hours.yaml"))
        let bytes = try ByteSize.parse("5TiB")
        let clock = VirtualClock(now: try instant("2026-04-01T19:00:00+02:00"))
        #expect(try planner.fitsBeforeWorkHours(bytes: bytes, clock: clock) == false)
        clock.advance(by: 86_400)
        #expect(planner.nextWorkHoursStart(after: clock.now) == (try instant("2026-04-06T08:00:00+02:00")))
        #expect(try planner.fitsBeforeWorkHours(bytes: bytes, clock: clock))
        clock.set(to: try instant("2026-04-06T09:00:00+02:00"))
        #expect(try planner.fitsBeforeWorkHours(bytes: 1, clock: clock) == false)
    }
}
