import Foundation
import Testing
import ThrottlePolicy

/// Boundaries in a spring-forward gap take effect at the first instant after the gap; boundaries in a
/// fall-back repeat take effect at the first occurrence.
struct DaylightSavingTests {
    @Test func berlinSpringForwardGap() throws {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00Z. 02:30 does not exist.
        let schedule = Schedule(policy: try makePolicy(days: "sun", from: "02:30", to: "03:30", zone: "Europe/Berlin"))
        let window = schedule.window(at: try at("2026-03-29T01:10:00Z"))
        #expect(window.kind == .workHours)
        #expect(utc(window) == "2026-03-29T01:00:00+00:00 → 2026-03-29T01:30:00+00:00")
        #expect(schedule.bandwidth(at: try at("2026-03-29T00:59:59Z")).kind == .nonWorkHours)
    }

    @Test func berlinFallBackFirstOccurrence() throws {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00Z. 02:30 occurs at 00:30Z and 01:30Z.
        let schedule = Schedule(policy: try makePolicy(days: "sun", from: "02:30", to: "03:30", zone: "Europe/Berlin"))
        let window = schedule.window(at: try at("2026-10-25T01:00:00Z"))
        #expect(utc(window) == "2026-10-25T00:30:00+00:00 → 2026-10-25T02:30:00+00:00")
        // An end in the repeated hour also takes effect at its first occurrence.
        let ending = Schedule(policy: try makePolicy(days: "sat", from: "22:00", to: "02:30", zone: "Europe/Berlin"))
        #expect(utc(ending.window(at: try at("2026-10-24T23:00:00Z")))
            == "2026-10-24T20:00:00+00:00 → 2026-10-25T00:30:00+00:00")
        #expect(ending.bandwidth(at: try at("2026-10-25T01:15:00Z")).kind == .nonWorkHours)  // 02:15 CET, 2nd time
    }

    @Test func berlinWindowSizesAcrossTheYear() throws {
        // A 22:00–06:00 night is 8 h, but 7 h on the spring night and 9 h on the autumn night.
        let schedule = Schedule(policy: try makePolicy(days: "mon-sun", from: "22:00", to: "06:00", zone: "Europe/Berlin"))
        func hours(_ instant: String) throws -> Double {
            let window = schedule.window(at: try at(instant))
            return try #require(window.end).timeIntervalSince(try #require(window.start)) / 3600
        }
        #expect(try hours("2026-03-28T23:00:00Z") == 7)
        #expect(try hours("2026-10-24T23:00:00Z") == 9)
        #expect(try hours("2026-07-01T23:00:00Z") == 8)
    }

    @Test func newYorkTransitions() throws {
        let schedule = Schedule(policy: try makePolicy(days: "sun", from: "01:30", to: "02:30", zone: "America/New_York"))
        // 2026-03-08: 02:00 EST → 03:00 EDT at 07:00Z; the end (02:30) is in the gap.
        #expect(utc(schedule.window(at: try at("2026-03-08T06:45:00Z")))
            == "2026-03-08T06:30:00+00:00 → 2026-03-08T07:00:00+00:00")
        // 2026-11-01: 02:00 EDT → 01:00 EST at 06:00Z; the start (01:30) repeats: first is 05:30Z.
        #expect(utc(schedule.window(at: try at("2026-11-01T06:00:00Z")))
            == "2026-11-01T05:30:00+00:00 → 2026-11-01T07:30:00+00:00")
    }

    @Test func lordHoweHalfHourShifts() throws {
        // 2026-10-04: 02:00 +10:30 → 02:30 +11:00 at 2026-10-03T15:30Z; 02:10 is in the gap.
        let spring = Schedule(policy: try makePolicy(days: "sun", from: "02:10", to: "03:00", zone: "Australia/Lord_Howe"))
        #expect(utc(spring.window(at: try at("2026-10-03T15:45:00Z")))
            == "2026-10-03T15:30:00+00:00 → 2026-10-03T16:00:00+00:00")
        // 2026-04-05: 02:00 +11:00 → 01:30 +10:30 at 2026-04-04T15:00Z; 01:45 occurs twice.
        let autumn = Schedule(policy: try makePolicy(days: "sun", from: "01:45", to: "02:15", zone: "Australia/Lord_Howe"))
        #expect(utc(autumn.window(at: try at("2026-04-04T15:00:00Z")))
            == "2026-04-04T14:45:00+00:00 → 2026-04-04T15:45:00+00:00")
    }

    @Test func kolkataHasNoDaylightSaving() throws {
        let schedule = Schedule(policy: try makePolicy(days: "mon-fri", from: "09:00", to: "17:00", zone: "Asia/Kolkata"))
        for date in ["2026-03-09", "2026-07-06", "2026-11-02"] {  // Mondays
            let window = schedule.window(at: try at("\(date)T12:00:00+05:30"))
            #expect(utc(window) == "\(date)T03:30:00+00:00 → \(date)T11:30:00+00:00")
        }
    }

    @Test func apiaSkippedTheThirtiethOfDecember2011() throws {
        // Samoa moved across the date line: 2011-12-29 24:00 (−10:00) was followed by 2011-12-31 00:00 (+14:00),
        // at 2011-12-30T10:00Z. Friday the 30th never happened there, so it has no window.
        let schedule = Schedule(policy: try makePolicy(days: "mon-sun", from: "09:00", to: "17:00", zone: "Pacific/Apia"))
        let timeline = schedule.timeline(from: try at("2011-12-29T10:00:00Z"), to: try at("2011-12-31T10:00:00Z"))
        #expect(timeline.map(utc) == [
            "2011-12-29T10:00:00+00:00 → 2011-12-29T19:00:00+00:00",
            "2011-12-29T19:00:00+00:00 → 2011-12-30T03:00:00+00:00",
            "2011-12-30T03:00:00+00:00 → 2011-12-30T19:00:00+00:00",
            "2011-12-30T19:00:00+00:00 → 2011-12-31T03:00:00+00:00",
            "2011-12-31T03:00:00+00:00 → 2011-12-31T10:00:00+00:00",
        ])
        // Thursday's overnight window ends at Friday 06:00, which did not exist: it ends when the gap ends.
        let night = Schedule(policy: try makePolicy(days: "thu", from: "22:00", to: "06:00", zone: "Pacific/Apia"))
        #expect(utc(night.window(at: try at("2011-12-30T09:00:00Z")))
            == "2011-12-30T08:00:00+00:00 → 2011-12-30T10:00:00+00:00")
        // Whole days chain straight across the missing day.
        let allDay = Schedule(policy: try makePolicy(days: "thu,fri,sat", from: "00:00", to: "24:00", zone: "Pacific/Apia"))
        #expect(utc(allDay.window(at: try at("2011-12-30T12:00:00Z")))
            == "2011-12-29T10:00:00+00:00 → 2011-12-31T10:00:00+00:00")
    }
}
