import Foundation
import Testing
import ThrottlePolicy

struct ValueParsingTests {
    @Test(arguments: [
        ("Monday", Weekday.monday), ("mon", .monday), ("MO", .monday), ("tUeSdAy", .tuesday), ("we", .wednesday),
        ("Thu", .thursday), ("fr", .friday), ("SATURDAY", .saturday), ("su", .sunday),
    ])
    func readsDayNames(text: String, day: Weekday) throws {
        #expect(try Weekday(parsing: text) == day)
    }

    @Test func readsDayListsAndWrappingRanges() throws {
        #expect(try Weekday.parseList("mon-fri") == [.monday, .tuesday, .wednesday, .thursday, .friday])
        #expect(try Weekday.parseList("fri-mon") == [.friday, .saturday, .sunday, .monday])
        #expect(try Weekday.parseList("Monday,TU") == [.monday, .tuesday])
        #expect(try Weekday.parseList("none") == [])
        #expect(try Weekday.parseList(" None ") == [])
        // An empty list is refused: a blank must not silently mean "no work days" (issue 7).
        #expect { try Weekday.parseList("") } throws: { ($0 as? ValueError)?.message.contains("write none") == true }
        #expect(throws: ValueError.self) { try Weekday.parseList("mon,,tue") }
        #expect(throws: ValueError.self) { try Weekday.parseList("mon,funday") }
        #expect(throws: ValueError.self) { try Weekday.parseList("m") }
        #expect(throws: ValueError.self) { try Weekday.parseList("mon-tue-wed") }
    }

    @Test(arguments: [("9:00", 32_400), ("09:00", 32_400), ("18:00:30", 64_830), ("00:00", 0), ("24:00", 86_400),
        ("24:00:00", 86_400), ("23:59:59", 86_399)])
    func readsTimes(text: String, seconds: Int) throws {
        #expect(try TimeOfDay(parsing: text).secondsAfterMidnight == seconds)
    }

    @Test(arguments: ["9", "9:0", "009:00", "24:01", "25:00", "12:60", "12:00:60", "noon", "-1:00", "12:00:00:00", ""])
    func rejectsTimes(text: String) {
        #expect(throws: ValueError.self) { try TimeOfDay(parsing: text) }
    }

    @Test func workHoursRules() throws {
        let nine = try TimeOfDay(parsing: "09:00")
        #expect(throws: ValueError.self) { try WorkHours(start: nine, end: nine) }
        #expect(throws: ValueError.self) { try WorkHours(start: .midnight, end: .midnight) }
        #expect(throws: ValueError.self) { try WorkHours(start: .endOfDay, end: nine) }
        #expect(try WorkHours(start: .midnight, end: .endOfDay).isOvernight == false)
        #expect(try WorkHours(start: try TimeOfDay(parsing: "22:00"), end: try TimeOfDay(parsing: "06:00")).isOvernight)
    }

    @Test func datesRoundTripAndKnowTheirWeekday() throws {
        let date = try LocalDate(parsing: "2026-11-24")
        #expect(date.description == "2026-11-24")
        #expect(date.weekday == .tuesday)
        #expect(try LocalDate(parsing: "1970-01-01").dayNumber == 0)
        #expect(try LocalDate(parsing: "2024-02-29").weekday == .thursday)
        #expect(try LocalDate(parsing: "1969-12-31").dayNumber == -1)
        for text in ["2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01", "2026-01-32"] {
            #expect(throws: ValueError.self) { try LocalDate(parsing: text) }
        }
        for dayNumber in stride(from: -800_000, through: 800_000, by: 997) {
            let original = LocalDate(dayNumber: dayNumber)
            let (y, m, d) = original.components
            #expect(LocalDate(year: y, month: m, day: d) == original)
        }
    }

    @Test func instantsParseWithOffsetsAndFormatInTheZone() throws {
        let berlin = try #require(TimeZoneRules(identifier: "Europe/Berlin"))
        let instant = try ISO8601.parse("2026-11-24T09:00:00+01:00")
        #expect(instant.timeIntervalSince1970 == 1_795_507_200)
        #expect(try ISO8601.parse("2026-11-24T08:00:00Z") == instant)
        #expect(try ISO8601.parse("2026-11-24T03:00:00-0500") == instant)
        #expect(try ISO8601.parse("2026-11-24 08:00Z") == instant)
        #expect(ISO8601.format(instant, in: berlin) == "2026-11-24T09:00:00+01:00")
        #expect(ISO8601.format(instant.addingTimeInterval(0.25), in: berlin) == "2026-11-24T09:00:00.250+01:00")
        let kolkata = try #require(TimeZoneRules(identifier: "Asia/Kolkata"))
        #expect(ISO8601.format(instant, in: kolkata) == "2026-11-24T13:30:00+05:30")
        for text in ["2026-11-24T09:00:00", "2026-11-24", "yesterday", "2026-11-24T25:00:00Z", "2026-11-24T09:00:00+1"] {
            #expect(throws: ValueError.self) { try ISO8601.parse(text) }
        }
    }

    @Test func timeZonesAndProfiles() throws {
        #expect(try TimeZoneName.parse("Europe/Berlin").name == "Europe/Berlin")
        #expect(try TimeZoneName.parse("UTC").offset(at: 0) == 0)
        #expect(throws: ValueError.self) { try TimeZoneName.parse("Mars/Olympus_Mons") }
        #expect(try OSProfile(parsing: "Windows-Server-2019") == .windowsServer2019)
        let error = try #require(throws: ValueError.self) { try OSProfile(parsing: "windows-95") }
        #expect(error.message.contains("windows-server-2012-r2"))
        #expect(OSProfile.allCases.filter { !$0.supportsThrottling }
            == [.windowsServer2008R2, .windowsServer2008SP2, .windows7])
    }
}
