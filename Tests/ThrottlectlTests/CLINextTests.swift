import Foundation
import Testing
import TestSupport

/// End-to-end: `throttlectl next` lists transitions for people and for timers.
struct CLINextTests {
    func object(_ result: BinaryRunner.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func transitions(_ result: BinaryRunner.Result) throws -> [[String: Any]] {
        try #require(try object(result)["transitions"] as? [[String: Any]])
    }

    /// The night shift (Sun–Thu 22:00–06:00, Berlin) across the spring-forward night of 2026-03-29: the
    /// overnight window of Thursday ends on Friday, Friday and Saturday nights are free, Sunday's starts in
    /// summer time (UTC+2) although the week began in winter time (UTC+1).
    @Test func overnightWindowsAcrossTheSpringForward() throws {
        let result = try BinaryRunner.run(["next", "--policy", BinaryRunner.example("overnight.yaml"),
                                           "--from", "2026-03-27T00:00:00Z", "--count", "4", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let items = try transitions(result)
        #expect(items.map { $0["at"] as? String } == [
            "2026-03-27T06:00:00+01:00", "2026-03-29T22:00:00+02:00", "2026-03-30T06:00:00+02:00",
            "2026-03-30T22:00:00+02:00",
        ])
        #expect(items.map { $0["utc"] as? String } == [
            "2026-03-27T05:00:00Z", "2026-03-29T20:00:00Z", "2026-03-30T04:00:00Z", "2026-03-30T20:00:00Z",
        ])
        #expect(items.map { $0["kind"] as? String } == ["non-work-hours", "work-hours", "non-work-hours", "work-hours"])
        #expect(items.map { $0["previousKind"] as? String }
            == ["work-hours", "non-work-hours", "work-hours", "non-work-hours"])
        #expect(items[1]["bitsPerSecond"] as? Int == 40_000_000)
        #expect(items[0]["bitsPerSecond"] is NSNull && items[0]["throttled"] as? Bool == false)
        let epoch = try #require(items[1]["epochSeconds"] as? Int)
        let sunday = try #require(ISO8601DateFormatter().date(from: "2026-03-29T20:00:00Z"))
        #expect(epoch == Int(sunday.timeIntervalSince1970))
    }

    /// A work start inside the spring-forward gap (02:30 does not exist in Berlin on 2026-03-29) takes effect
    /// at the first instant after the gap; on the fall-back night (02:30 twice) at its first occurrence.
    @Test(arguments: [
        ("2026-03-28T12:00:00Z", "2026-03-29T03:00:00+02:00"),
        ("2026-10-24T12:00:00Z", "2026-10-25T02:30:00+02:00"),
    ])
    func workStartInADaylightSavingEdge(from: String, expected: String) throws {
        let result = try BinaryRunner.run([
            "next", "--work-days", "sun", "--start-work-hour", "02:30", "--end-work-hour", "05:00",
            "--work-hour-bandwidth", "1mbit", "--non-work-hour-bandwidth", "10mbit", "--time-zone", "Europe/Berlin",
            "--from", from, "--count", "2", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let items = try transitions(result)
        #expect(items.first?["at"] as? String == expected)
        #expect(items.first?["kind"] as? String == "work-hours")
        let endOffset = expected.hasPrefix("2026-03") ? "+02:00" : "+01:00"
        #expect(items.last?["at"] as? String == expected.prefix(11) + "05:00:00" + endOffset)
    }

    @Test func noThrottleHasNoTransitionsAndSaysSo() throws {
        let text = try BinaryRunner.run(["next", "--policy", BinaryRunner.example("no-throttle.json")])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("no transitions: throttling is off"))
        let json = try BinaryRunner.run(["next", "--no-throttle", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(try transitions(json).isEmpty)
    }

    @Test func workRoundTheClockNeverChanges() throws {
        let result = try BinaryRunner.run([
            "next", "--work-days", "mon-sun", "--start-work-hour", "00:00", "--end-work-hour", "24:00",
            "--work-hour-bandwidth", "1mbit", "--non-work-hour-bandwidth", "10mbit", "--time-zone", "UTC",
            "--from", "2026-06-01T00:00:00Z",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("no transitions after 2026-06-01T00:00:00+00:00"))
        #expect(result.stdout.contains("never changes"))
    }

    @Test func jsonShape() throws {
        let result = try BinaryRunner.run(["next", "--policy", BinaryRunner.example("mars-documented.yaml"),
                                           "--from", "2026-11-23T00:00:00+01:00", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let root = try object(result)
        #expect(Set(root.keys) == ["timeZone", "from", "policy", "transitions"])
        #expect(root["timeZone"] as? String == "Europe/Berlin")
        #expect(root["from"] as? String == "2026-11-23T00:00:00+01:00")
        let items = try transitions(result)
        #expect(items.count == 10)  // the default
        for item in items {
            #expect(Set(item.keys) == [
                "at", "utc", "epochSeconds", "kind", "throttled", "bitsPerSecond", "downloadBitsPerSecond",
                "previousKind",
            ])
        }
        // Mon and Tue 09:00–18:00 only: after Tuesday evening the next is the following Monday.
        #expect(items.prefix(5).map { $0["at"] as? String } == [
            "2026-11-23T09:00:00+01:00", "2026-11-23T18:00:00+01:00", "2026-11-24T09:00:00+01:00",
            "2026-11-24T18:00:00+01:00", "2026-11-30T09:00:00+01:00",
        ])
        #expect(items[0]["bitsPerSecond"] as? Int == 524_288 && items[1]["bitsPerSecond"] as? Int == 2_097_152)
    }

    @Test func textIsATableWithBothZones() throws {
        let result = try BinaryRunner.run(["next", "--policy", BinaryRunner.example("mars-documented.yaml"),
                                           "--from", "2026-11-23T00:00:00+01:00", "--count", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("AT (Europe/Berlin)") && lines[1].contains("AT (UTC)"))
        #expect(lines[2].hasPrefix("2026-11-23T09:00:00+01:00"))
        #expect(lines[2].contains("2026-11-23T08:00:00Z") && lines[2].contains("work-hours"))
        #expect(lines[2].contains("512 Kibit/s"))
    }

    @Test func theMaximumCountIsServed() throws {
        let result = try BinaryRunner.run(["next", "--policy", BinaryRunner.example("office-hours.yaml"),
                                           "--from", "2026-01-01T00:00:00Z", "--count", "10000", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let items = try transitions(result)
        #expect(items.count == 10_000)
        let instants = items.compactMap { $0["epochSeconds"] as? Int }
        #expect(zip(instants, instants.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test(arguments: [
        ("0", "--count must be from 1 to 10000, not 0"),
        ("10001", "--count must be from 1 to 10000, not 10001"),
        ("-3", "--count must be from 1 to 10000, not -3"),
        ("ten", "--count must be a whole number from 1 to 10000, not \"ten\""),
        ("2.5", "--count must be a whole number from 1 to 10000, not \"2.5\""),
    ])
    func badCountsAreUsageErrors(count: String, message: String) throws {
        let result = try BinaryRunner.run(["next", "--no-throttle", "--count", count])
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
