import Foundation
import Testing
import ThrottlePolicy

struct ScheduleTests {
    /// The MARS documented example: Mon, Tue 9:00–18:00, 512 Kibit/s; 2 Mibit/s otherwise.
    func mars() throws -> Schedule {
        Schedule(policy: try makePolicy(days: "mon,tue", from: "9:00", to: "18:00", work: "524288",
                                        nonWork: "2097152", zone: "Europe/Berlin"))
    }

    @Test func marsExampleInAndOutOfWorkHours() throws {
        let schedule = try mars()
        // 2026-11-24 is a Tuesday.
        let inside = schedule.bandwidth(at: try at("2026-11-24T10:00:00+01:00"))
        #expect(inside == Allowance(kind: .workHours, bandwidth: .bitsPerSecond(524_288)))
        #expect(schedule.bandwidth(at: try at("2026-11-24T18:00:00+01:00")).kind == .nonWorkHours)
        #expect(schedule.bandwidth(at: try at("2026-11-24T08:59:59+01:00")).kind == .nonWorkHours)
        #expect(schedule.bandwidth(at: try at("2026-11-24T09:00:00+01:00")).kind == .workHours)
        // Wednesday is not a work day: non-work bandwidth all day.
        let wednesday = schedule.bandwidth(at: try at("2026-11-25T12:00:00+01:00"))
        #expect(wednesday == Allowance(kind: .nonWorkHours, bandwidth: .bitsPerSecond(2_097_152)))
    }

    @Test func windowsKnowTheirTrueExtent() throws {
        let schedule = try mars()
        #expect(utc(schedule.window(at: try at("2026-11-24T10:00:00+01:00")))
            == "2026-11-24T08:00:00+00:00 → 2026-11-24T17:00:00+00:00")
        // Tuesday 18:00 until next Monday 9:00 is one non-work window.
        #expect(utc(schedule.window(at: try at("2026-11-27T12:00:00+01:00")))
            == "2026-11-24T17:00:00+00:00 → 2026-11-30T08:00:00+00:00")
        #expect(schedule.nextTransition(after: try at("2026-11-27T12:00:00+01:00"))
            == (try at("2026-11-30T09:00:00+01:00")))
        // Monday 18:00 to Tuesday 9:00 is one window, not two.
        #expect(utc(schedule.window(at: try at("2026-11-23T23:59:59+01:00")))
            == "2026-11-23T17:00:00+00:00 → 2026-11-24T08:00:00+00:00")
    }

    @Test func overnightWindowBelongsToTheDayItStarts() throws {
        let schedule = Schedule(policy: try makePolicy(days: "mon-fri", from: "22:00", to: "06:00", zone: "Etc/UTC"))
        // Friday 22:00 → Saturday 06:00 is Friday's window.
        #expect(schedule.bandwidth(at: try at("2026-11-28T05:00:00Z")).kind == .workHours)  // Saturday 05:00
        #expect(utc(schedule.window(at: try at("2026-11-28T05:00:00Z")))
            == "2026-11-27T22:00:00+00:00 → 2026-11-28T06:00:00+00:00")
        // Monday 05:00 belongs to Sunday night, and Sunday is not a work day.
        #expect(schedule.bandwidth(at: try at("2026-11-30T05:00:00Z")).kind == .nonWorkHours)
        #expect(schedule.bandwidth(at: try at("2026-11-30T23:00:00Z")).kind == .workHours)
        #expect(utc(schedule.window(at: try at("2026-11-29T12:00:00Z")))
            == "2026-11-28T06:00:00+00:00 → 2026-11-30T22:00:00+00:00")
    }

    @Test func exceptionDatesAreNonWorkDaysButYesterdaysWindowRunsOn() throws {
        let policy = try makePolicy(days: "mon-fri", from: "22:00", to: "06:00", zone: "Etc/UTC",
                                    exceptions: ["2026-11-26"])
        let schedule = Schedule(policy: policy)
        // Wednesday night's window runs into Thursday (the exception) to 06:00.
        #expect(schedule.bandwidth(at: try at("2026-11-26T05:00:00Z")).kind == .workHours)
        // Thursday's own window does not start.
        #expect(schedule.bandwidth(at: try at("2026-11-26T23:00:00Z")).kind == .nonWorkHours)
        #expect(utc(schedule.window(at: try at("2026-11-26T23:00:00Z")))
            == "2026-11-26T06:00:00+00:00 → 2026-11-27T22:00:00+00:00")
    }

    @Test func wholeDaysJoinIntoOneWindow() throws {
        let schedule = Schedule(policy: try makePolicy(days: "mon-fri", from: "00:00", to: "24:00",
                                                       zone: "America/New_York"))
        let window = schedule.window(at: try at("2026-11-25T12:00:00-05:00"))
        #expect(window.kind == .workHours)
        #expect(utc(window) == "2026-11-23T05:00:00+00:00 → 2026-11-28T05:00:00+00:00")
        let timeline = schedule.timeline(from: try at("2026-11-22T00:00:00-05:00"), to: try at("2026-11-30T00:00:00-05:00"))
        #expect(timeline.map(\.kind) == [.nonWorkHours, .workHours, .nonWorkHours])
    }

    @Test func everyDayAllDayNeverChanges() throws {
        let schedule = Schedule(policy: try makePolicy(days: "mon-sun", from: "00:00", to: "24:00", zone: "Europe/Berlin"))
        let window = schedule.window(at: try at("2026-07-01T12:00:00Z"))
        #expect(window.kind == .workHours)
        #expect(window.start == nil && window.end == nil)
        #expect(schedule.nextTransition(after: try at("2026-07-01T12:00:00Z")) == nil)
    }

    @Test func noWorkDaysMeansNonWorkForever() throws {
        let schedule = Schedule(policy: try makePolicy(days: "none", from: "09:00", to: "17:00", zone: "Etc/UTC"))
        let window = schedule.window(at: try at("2026-07-01T12:00:00Z"))
        #expect(window.kind == .nonWorkHours && window.start == nil && window.end == nil)
    }

    @Test func throttlingOffIsOneUnthrottledWindow() throws {
        let schedule = Schedule(policy: .noThrottle(timeZone: try TimeZoneName.parse("UTC")))
        let window = schedule.window(at: try at("2026-07-01T12:00:00Z"))
        #expect(window.kind == .unthrottled && !window.isThrottled && window.end == nil)
        let from = try at("2026-07-01T00:00:00Z")
        let to = try at("2026-07-08T00:00:00Z")
        #expect(schedule.timeline(from: from, to: to) == [
            Window(allowance: Allowance(kind: .unthrottled, bandwidth: .unlimited), start: from, end: to)
        ])
    }

    @Test func unlimitedWorkHoursAreNotThrottled() throws {
        let schedule = Schedule(policy: try makePolicy(days: "sat,sun", from: "00:00", to: "24:00", work: "unlimited",
                                                       zone: "Etc/UTC"))
        let allowance = schedule.bandwidth(at: try at("2026-11-28T12:00:00Z"))
        #expect(allowance.kind == .workHours && !allowance.isThrottled)
    }

    @Test func timelineIsClippedAndAlternates() throws {
        let schedule = try mars()
        let from = try at("2026-11-24T12:00:00+01:00")
        let to = try at("2026-11-30T12:00:00+01:00")
        let timeline = schedule.timeline(from: from, to: to)
        #expect(timeline.map(utc) == [
            "2026-11-24T11:00:00+00:00 → 2026-11-24T17:00:00+00:00",
            "2026-11-24T17:00:00+00:00 → 2026-11-30T08:00:00+00:00",
            "2026-11-30T08:00:00+00:00 → 2026-11-30T11:00:00+00:00",
        ])
        #expect(timeline.map(\.kind) == [.workHours, .nonWorkHours, .workHours])
    }
}
