import Foundation
import Testing

@testable import ThrottlePolicy

/// Offsets read by ``TimeZoneRules`` against `zdump -v -c 1970,2040` for the same tzdata, zone by zone: both
/// sides of every transition, instants between them, and the years past 2037 that come from footer rules.
@Suite(.enabled(if: Zdump.shouldRun, "zdump (Debian package libc-bin) is not installed"))
struct ZdumpComparisonTests {
    static let zones = [
        "America/Havana", "Africa/Casablanca", "Australia/Lord_Howe", "Pacific/Apia", "America/St_Johns",
        "Asia/Kolkata", "Europe/Dublin", "Antarctica/Troll", "Pacific/Kiritimati", "America/Sao_Paulo",
        "Asia/Tehran", "Europe/Berlin", "America/New_York", "Pacific/Chatham", "Africa/Cairo", "America/Santiago",
        "Asia/Gaza", "Europe/London", "Europe/Lisbon", "Europe/Moscow", "Europe/Kyiv", "America/Los_Angeles",
        "America/Chicago", "America/Phoenix", "America/Nuuk", "America/Scoresbysund", "America/Asuncion",
        "America/Mexico_City", "America/Ciudad_Juarez", "America/Caracas", "Asia/Jerusalem", "Asia/Beirut",
        "Asia/Amman", "Asia/Damascus", "Asia/Tokyo", "Asia/Kathmandu", "Asia/Pyongyang", "Australia/Sydney",
        "Australia/Adelaide", "Pacific/Auckland", "Pacific/Norfolk", "Pacific/Fiji", "Antarctica/Macquarie",
        "Africa/El_Aaiun", "Africa/Juba", "Etc/UTC", "Etc/GMT+5", "EST5EDT",
    ]

    static let database = TimeZoneDatabase(directory: "/usr/share/zoneinfo")

    /// Loads every table with one zdump run, or fails (zdump missing under `CI=true`).
    static func tables() throws -> [String: ZdumpZone] {
        try #require(Zdump.isAvailable, "CI=true: zdump must be installed (contrib/install-deps.sh installs libc-bin)")
        return try Zdump.zones(zones)
    }

    /// What one zone's comparison found: disagreements (as text) and how much was compared.
    struct Comparison {
        var mismatches: [String] = []
        var transitions = 0
        var instants = 0
        var fromFooter = 0

        /// Records a disagreement; one `#expect` per zone keeps a 30,000-check run quick.
        mutating func check<T: Equatable>(_ ours: T, _ zdump: T, _ what: @autoclosure () -> String) {
            if ours != zdump { mismatches.append("\(what()): ours \(ours), zdump \(zdump)") }
        }
    }

    /// Both sides of every transition in `table`, the ends of every stretch and `samples` random instants in it.
    static func compare(_ zone: TimeZoneRules, with table: ZdumpZone, samples: Int, using random: inout SeededGenerator)
        -> Comparison
    {
        var result = Comparison()
        for transition in table.transitions {
            let at = transition.instant
            result.check(zone.offset(at: at - 1), transition.offsetBefore, "\(zone.name) offset at \(at - 1)")
            result.check(zone.offset(at: at), transition.offsetAfter, "\(zone.name) offset at \(at)")
            result.check(zone.abbreviation(at: at), transition.abbreviationAfter, "\(zone.name) abbreviation at \(at)")
            result.check(zone.isDaylightSaving(at: at), transition.isDaylightSavingAfter, "\(zone.name) isdst at \(at)")
            result.transitions += 1
            // Past the file's last transition the footer rule answers.
            if let last = zone.contents.transitions.last, at > last { result.fromFooter += 1 }
        }
        for segment in table.segments where segment.end > segment.start {
            let inside = (0..<samples).map { _ in Int.random(in: segment.start..<segment.end, using: &random) }
            for instant in [segment.start, segment.end - 1] + inside {
                result.check(zone.offset(at: instant), segment.offset, "\(zone.name) offset at \(instant)")
                result.instants += 1
            }
        }
        return result
    }

    @Test func everyTransitionAndTheStretchesBetweenAgreeWithZdump() throws {
        let tables = try Self.tables()
        var random = SeededGenerator(seed: 0x7A1F)
        var total = Comparison()
        for name in Self.zones {
            let comparison = Self.compare(
                try Self.database.zone(named: name), with: try #require(tables[name]), samples: 4, using: &random)
            #expect(comparison.mismatches.isEmpty, "\(comparison.mismatches.prefix(10))")
            total.transitions += comparison.transitions
            total.instants += comparison.instants
            total.fromFooter += comparison.fromFooter
        }
        print(
            "zdump comparison: \(Self.zones.count) zones, \(total.transitions) transitions "
                + "(\(total.fromFooter) from footer rules), \(total.instants) instants")
        // The run covers what it claims: thousands of transitions, some past 2037 from footers.
        #expect(total.transitions > 4000, "compared \(total.transitions) transitions")
        #expect(total.fromFooter > 80, "compared \(total.fromFooter) transitions that come from footer rules")
        #expect(total.instants > 6 * total.transitions)
    }

    @Test func zonesWithDaylightSavingKeepChangingAfter2037() throws {
        let tables = try Self.tables()
        let year2038 = Zdump.daysFromCivil(year: 2038, month: 1, day: 1) * 86_400
        for name in [
            "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Chatham", "Europe/Dublin",
            "Antarctica/Troll", "America/Havana", "America/Santiago",
        ] {
            let table = try #require(tables[name])
            let late = table.transitions.filter { $0.instant >= year2038 }
            #expect(late.count == 4, "\(name): \(late.count) transitions in 2038–2039")
            let zone = try Self.database.zone(named: name)
            #expect(zone.contents.footer != nil, "\(name) has a footer rule")
        }
    }

    /// Footer rules alone, for the rest of the century: every transition zdump computes from 2038 to 2099.
    @Test func footerRulesAgreeWithZdumpToTheEndOfTheCentury() throws {
        try #require(Zdump.isAvailable, "CI=true: zdump must be installed (contrib/install-deps.sh installs libc-bin)")
        let tables = try Zdump.zones(Self.zones, firstYear: 2038, lastYear: 2100)
        var random = SeededGenerator(seed: 2100)
        var checked = 0
        for name in Self.zones {
            let comparison = Self.compare(
                try Self.database.zone(named: name), with: try #require(tables[name]), samples: 1, using: &random)
            #expect(comparison.mismatches.isEmpty, "\(comparison.mismatches.prefix(10))")
            checked += comparison.fromFooter  // Casablanca and El Aaiun list theirs to 2087
        }
        print("zdump comparison 2038–2099: \(checked) transitions from footer rules")
        #expect(checked > 2500, "compared \(checked) transitions that come from footer rules")
    }

    /// issue 7: Havana stayed on UTC−4 after 2026-03-08, and Casablanca moved to +00 on 2026-09-20.
    @Test func havanaAndCasablancaFollowTheCurrentTzdata() throws {
        let tables = try Self.tables()
        let november15 = Zdump.daysFromCivil(year: 2026, month: 11, day: 15) * 86_400 + 12 * 3600
        let havana = try TimeZoneName.parse("America/Havana", in: Self.database)
        #expect(havana.offset(at: november15) == tables["America/Havana"]?.offset(at: november15))
        #expect(havana.offset(at: november15) == -4 * 3600)
        #expect(
            ISO8601.format(Date(timeIntervalSince1970: TimeInterval(november15)), in: havana)
                == "2026-11-15T08:00:00-04:00")

        let october15 = Zdump.daysFromCivil(year: 2026, month: 10, day: 15) * 86_400 + 12 * 3600
        let casablanca = try TimeZoneName.parse("Africa/Casablanca", in: Self.database)
        #expect(casablanca.offset(at: october15) == tables["Africa/Casablanca"]?.offset(at: october15))
        #expect(casablanca.offset(at: october15) == 0)
        #expect(casablanca.abbreviation(at: october15) == "+00")
    }
}

/// SplitMix64: a fixed seed, so a failure reproduces.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
