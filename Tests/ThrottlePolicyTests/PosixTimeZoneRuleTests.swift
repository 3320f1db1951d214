import Testing

@testable import ThrottlePolicy

/// The POSIX `TZ` rules of TZif footers (RFC 8536 §3.3), with instants worked out by hand.
struct PosixTimeZoneRuleTests {
    /// Seconds since 1970 of a UTC date and time, written out for readability.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Int {
        LocalDate(year: year, month: month, day: day)!.dayNumber * 86_400 + hour * 3600 + minute * 60
    }

    @Test func usRuleChangesAtTwoInTheMorningLocal() throws {
        let rule = try PosixTimeZoneRule(parsing: "EST5EDT,M3.2.0,M11.1.0")
        #expect(rule.standard == LocalTimeType(offset: -18_000, abbreviation: "EST", isDaylightSaving: false))
        // 2026-03-08 02:00 EST is 07:00Z; 2026-11-01 02:00 EDT is 06:00Z.
        #expect(rule.localTimeType(at: Self.utc(2026, 3, 8, 7) - 1).offset == -18_000)
        #expect(rule.localTimeType(at: Self.utc(2026, 3, 8, 7)).abbreviation == "EDT")
        #expect(rule.localTimeType(at: Self.utc(2026, 11, 1, 6) - 1).offset == -14_400)
        #expect(rule.localTimeType(at: Self.utc(2026, 11, 1, 6)).offset == -18_000)
        // Without dates, the US rule is assumed (as glibc does).
        #expect(try PosixTimeZoneRule(parsing: "EST5EDT") == rule)
    }

    @Test func quotedNamesAndFractionalOffsets() throws {
        let tehran = try PosixTimeZoneRule(parsing: "<+0330>-3:30")
        #expect(tehran.daylightSaving == nil)
        #expect(
            tehran.localTimeType(at: 0) == LocalTimeType(offset: 12_600, abbreviation: "+0330", isDaylightSaving: false)
        )
        let chatham = try PosixTimeZoneRule(parsing: "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45")
        #expect(chatham.localTimeType(at: Self.utc(2026, 1, 1)).offset == 49_500)
        #expect(chatham.localTimeType(at: Self.utc(2026, 7, 1)).offset == 45_900)
        #expect(try PosixTimeZoneRule(parsing: "<-003015>0:30:15").standard.offset == -1815)
    }

    @Test func negativeTransitionTimes() throws {
        // Nuuk: last Sunday of March at −2:00 (Saturday 22:00 local, −03), last Sunday of October at −1:00
        // (Saturday 23:00 local, −02): both 01:00Z, like the EU.
        let rule = try PosixTimeZoneRule(parsing: "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1")
        #expect(rule.localTimeType(at: Self.utc(2026, 3, 29, 1) - 1).offset == -10_800)
        #expect(rule.localTimeType(at: Self.utc(2026, 3, 29, 1)).offset == -7200)
        #expect(rule.localTimeType(at: Self.utc(2026, 10, 25, 1) - 1).offset == -7200)
        #expect(rule.localTimeType(at: Self.utc(2026, 10, 25, 1)).offset == -10_800)
    }

    @Test func transitionTimesPastTwentyFourHours() throws {
        // Jerusalem: the Thursday of March's fourth week at 26:00, i.e. Friday 02:00 IST = Friday 00:00Z.
        let rule = try PosixTimeZoneRule(parsing: "IST-2IDT,M3.4.4/26,M10.5.0")
        #expect(rule.localTimeType(at: Self.utc(2026, 3, 27) - 1).abbreviation == "IST")
        #expect(rule.localTimeType(at: Self.utc(2026, 3, 27)).abbreviation == "IDT")
        // Ends last Sunday of October (25th) at 02:00 IDT = 23:00Z the day before.
        #expect(rule.localTimeType(at: Self.utc(2026, 10, 24, 23)).abbreviation == "IST")
        #expect(
            try PosixTimeZoneRule(parsing: "XXX3YYY,M3.2.0/167,M11.1.0/-167").daylightSaving?.start
                .secondsAfterMidnight == 167 * 3600)
    }

    @Test func southernHemisphereRuleWrapsTheYear() throws {
        let sydney = try PosixTimeZoneRule(parsing: "AEST-10AEDT,M10.1.0,M4.1.0/3")
        #expect(sydney.localTimeType(at: Self.utc(2026, 1, 15)).offset == 39_600)
        #expect(sydney.localTimeType(at: Self.utc(2026, 7, 15)).offset == 36_000)
        #expect(sydney.localTimeType(at: Self.utc(2026, 12, 31, 23)).offset == 39_600)
        // 2026-04-05 03:00 AEDT = 04-04 16:00Z; 2026-10-04 02:00 AEST = 10-03 16:00Z.
        #expect(sydney.localTimeType(at: Self.utc(2026, 4, 4, 16) - 1).isDaylightSaving)
        #expect(!sydney.localTimeType(at: Self.utc(2026, 4, 4, 16)).isDaylightSaving)
        #expect(sydney.localTimeType(at: Self.utc(2026, 10, 3, 16)).isDaylightSaving)
    }

    @Test func julianDaysSkipOrCountFebruaryTwentyNinth() throws {
        // J60 is March 1 every year; zero-based 59 is March 1 in common years and February 29 in leap years.
        let julian = try PosixTimeZoneRule(parsing: "AAA0BBB,J60/0,J300/0")
        let zeroBased = try PosixTimeZoneRule(parsing: "AAA0BBB,59/0,299/0")
        for year in [2027, 2028] {
            #expect(julian.localTimeType(at: Self.utc(year, 3, 1) - 1).isDaylightSaving == false)
            #expect(julian.localTimeType(at: Self.utc(year, 3, 1)).isDaylightSaving)
            // J300 is October 27 in every year (Feb 29 is never counted). Local time is +1 h then.
            #expect(julian.localTimeType(at: Self.utc(year, 10, 27) - 3601).isDaylightSaving)
            #expect(!julian.localTimeType(at: Self.utc(year, 10, 27) - 3600).isDaylightSaving)
        }
        #expect(zeroBased.localTimeType(at: Self.utc(2027, 3, 1)).isDaylightSaving)
        #expect(!zeroBased.localTimeType(at: Self.utc(2027, 2, 28, 23)).isDaylightSaving)
        #expect(zeroBased.localTimeType(at: Self.utc(2028, 2, 29)).isDaylightSaving)
        #expect(!zeroBased.localTimeType(at: Self.utc(2028, 2, 28, 23)).isDaylightSaving)
    }

    @Test func daylightSavingAllYear() throws {
        // The form zic writes for permanent DST: from January 1 00:00 to December 31 25:00.
        let rule = try PosixTimeZoneRule(parsing: "<+00>0<+01>,0/0,J365/25")
        for instant in [
            Self.utc(2026, 1, 1), Self.utc(2026, 1, 1) - 1, Self.utc(2026, 6, 30), Self.utc(2028, 12, 31, 23),
        ] {
            #expect(rule.localTimeType(at: instant).offset == 3600, "at \(instant)")
        }
    }

    @Test func lastWeekOfMonthFindsTheLastWeekday() {
        // The last Sunday of March: 2026-03-29, 2027-03-28; the fifth Sunday of February 2026 does not exist.
        let lastSunday = PosixTimeZoneRule.Day.monthWeekDay(month: 3, week: 5, weekday: 0)
        #expect(lastSunday.dayNumber(in: 2026) == LocalDate(year: 2026, month: 3, day: 29)!.dayNumber)
        #expect(lastSunday.dayNumber(in: 2027) == LocalDate(year: 2027, month: 3, day: 28)!.dayNumber)
        let february = PosixTimeZoneRule.Day.monthWeekDay(month: 2, week: 5, weekday: 0)
        #expect(february.dayNumber(in: 2026) == LocalDate(year: 2026, month: 2, day: 22)!.dayNumber)
        let firstSunday = PosixTimeZoneRule.Day.monthWeekDay(month: 11, week: 1, weekday: 0)
        #expect(firstSunday.dayNumber(in: 2026) == LocalDate(year: 2026, month: 11, day: 1)!.dayNumber)
    }

    @Test(arguments: [
        "", "EST", "ES5", "EST5EDT,M3.2.0", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.6.0,M11.1.0",
        "EST5EDT,M3.2.7,M11.1.0", "EST5EDT,J0,J365", "EST5EDT,366,0", "<+03", "<+03>", "EST25",
        "EST5EDT,M3.2.0/168,M11.1.0", "EST5:60", "EST5EDT,M3.2.0,M11.1.0x", "Europe/Berlin", "EST 5",
    ])
    func malformedRulesAreRefused(text: String) {
        #expect(throws: ValueError.self) { try PosixTimeZoneRule(parsing: text) }
    }
}
