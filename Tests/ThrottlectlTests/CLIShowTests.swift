import Foundation
import Testing
import TestSupport

/// End-to-end: `throttlectl show` with files, MARS-style flags, and both.
struct CLIShowTests {
    let marsFlags = [
        "--work-days", "Monday,Tuesday", "--start-work-hour", "9:00:00", "--end-work-hour", "18:00:00",
        "--work-hour-bandwidth", "524288", "--non-work-hour-bandwidth", "2097152", "--time-zone", "Europe/Berlin",
    ]

    func json(_ result: BinaryRunner.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func showJSONFromAFile() throws {
        let result = try BinaryRunner.run(["show", "--policy", BinaryRunner.example("mars-documented.yaml"),
                                           "--at", "2026-11-24T10:00:00+01:00", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result)
        #expect(object["kind"] as? String == "work-hours")
        #expect(object["throttled"] as? Bool == true)
        #expect(object["bitsPerSecond"] as? Int == 524_288)
        #expect(object["start"] as? String == "2026-11-24T09:00:00+01:00")
        #expect(object["end"] as? String == "2026-11-24T18:00:00+01:00")
        #expect(object["timeZone"] as? String == "Europe/Berlin")
        #expect(Set(object.keys) == ["kind", "throttled", "bitsPerSecond", "downloadBitsPerSecond", "start", "end", "timeZone"])
        #expect(object["downloadBitsPerSecond"] as? Int == 524_288)
    }

    @Test func showTextFromMARSFlags() throws {
        let result = try BinaryRunner.run(["show"] + marsFlags + ["--at", "2026-11-25T12:00:00Z"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            non-work-hours: 2 Mibit/s (2097152 bit/s)
            since 2026-11-24T18:00:00+01:00, until 2026-11-30T09:00:00+01:00 (Europe/Berlin)

            """)
    }

    @Test func flagsOverrideTheFile() throws {
        let result = try BinaryRunner.run(["show", "--policy", BinaryRunner.example("mars-documented.yaml"),
                                           "--work-hour-bandwidth", "1mibit", "--at", "2026-11-24T10:00:00+01:00",
                                           "--json"])
        #expect(try json(result)["bitsPerSecond"] as? Int == 1_048_576)
    }

    @Test func directionsCanDiffer() throws {
        var flags = marsFlags
        flags[7] = "10mbit:50mbit"
        let result = try BinaryRunner.run(["show"] + flags + ["--at", "2026-11-24T10:00:00+01:00", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result)
        #expect(object["bitsPerSecond"] as? Int == 10_000_000)
        #expect(object["downloadBitsPerSecond"] as? Int == 50_000_000)
        let text = try BinaryRunner.run(["show"] + flags + ["--at", "2026-11-24T10:00:00+01:00"])
        #expect(text.stdout.hasPrefix("work-hours: 10 Mbit/s (10000000 bit/s) up, 50 Mbit/s (50000000 bit/s) down"))
    }

    @Test func noThrottleAloneIsAPolicy() throws {
        let result = try BinaryRunner.run(["show", "--no-throttle", "--time-zone", "Asia/Kolkata", "--json"])
        #expect(result.status == 0)
        let object = try json(result)
        #expect(object["kind"] as? String == "unthrottled")
        #expect(object["throttled"] as? Bool == false)
        #expect(object["bitsPerSecond"] is NSNull)
        #expect(object["end"] is NSNull)
        #expect(object["timeZone"] as? String == "Asia/Kolkata")
    }

    @Test func noThrottleWithScheduleFlagsIsAUsageError() throws {
        let result = try BinaryRunner.run(["show", "--no-throttle", "--work-days", "mon"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--no-throttle cannot be combined with --work-days"))
    }

    @Test func incompleteMARSFlagsAreAUsageError() throws {
        let result = try BinaryRunner.run(["show", "--work-days", "mon", "--start-work-hour", "9:00"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("missing --end-work-hour, --work-hour-bandwidth, --non-work-hour-bandwidth"))
        let none = try BinaryRunner.run(["show"])
        #expect(none.status == 64)
        #expect(none.stderr.contains("no policy given"))
    }

    @Test func badFlagValuesNameTheFlag() throws {
        var flags = marsFlags
        flags[7] = "10Mbps"
        let result = try BinaryRunner.run(["show"] + flags)
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("--work-hour-bandwidth: \"10Mbps\" is ambiguous"))
        let range = try BinaryRunner.run(["show"] + marsFlags + ["--os-profile", "windows-10",
                                                                  "--non-work-hour-bandwidth", "2gbit"])
        #expect(range.status == 65)
        #expect(range.stderr.contains("--non-work-hour-bandwidth: the non-work-hour bandwidth, 2000000000 bit/s, is out of range"))
        let zone = try BinaryRunner.run(["show"] + marsFlags + ["--time-zone", "Nowhere/Land"])
        #expect(zone.status == 65)
        #expect(zone.stderr.hasPrefix("--time-zone: unknown time zone"))
    }

    @Test func refusedProfileByFlag() throws {
        let result = try BinaryRunner.run(["show"] + marsFlags + ["--os-profile", "windows-server-2008-sp2"])
        #expect(result.status == 69)
        #expect(result.stderr.hasPrefix("--os-profile: network throttling is not available"))
        let off = try BinaryRunner.run(["show", "--no-throttle", "--os-profile", "windows-7"])
        #expect(off.status == 0, "throttling off is valid on Windows 7")
    }

    @Test func badInstantIsAUsageError() throws {
        let result = try BinaryRunner.run(["show"] + marsFlags + ["--at", "tomorrow"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("is not an ISO-8601 instant"))
    }

    @Test func defaultZoneIsTheSystems() throws {
        var flags = marsFlags
        flags.removeLast(2)
        let result = try BinaryRunner.run(["show"] + flags + ["--json"], environment: ["TZ": "America/New_York"])
        #expect(try json(result)["timeZone"] as? String == "America/New_York")
    }
}
