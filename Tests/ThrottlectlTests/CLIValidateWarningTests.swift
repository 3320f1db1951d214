import Foundation
import Testing
import TestSupport

/// `validate` accepts repeated work days and exception dates (as MARS does) but warns at each repeat.
struct CLIValidateWarningTests {
    @Test func repeatedDaysAndDatesAreValidWithAWarning() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dup-\(UUID().uuidString).yaml").path
        try """
            work-days: [mon, mon, Monday, tue]
            work-hours: {start: "09:00", end: "10:00"}
            work-hour-bandwidth: 1mbit
            non-work-hour-bandwidth: 2mbit
            exception-dates: [2026-01-01, 2026-01-01]

            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try BinaryRunner.run(["validate", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("valid: throttled Mon, Tue"))
        #expect(result.stderr.contains("\(path):1:18: warning: \"mon\" repeats the work day Mon"), "\(result.stderr)")
        #expect(result.stderr.contains("\(path):1:23: warning: \"Monday\" repeats the work day Mon"))
        #expect(result.stderr.contains("\(path):5:31: warning: \"2026-01-01\" repeats the exception date 2026-01-01"))
    }

    @Test func repeatedTagsPrefixesAndPortsAreValidWithAWarning() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dup-\(UUID().uuidString).yaml").path
        try """
            work-days: [mon]
            work-hours: {start: "09:00", end: "10:00"}
            work-hour-bandwidth: 1mbit
            non-work-hour-bandwidth: 2mbit
            traffic:
              prefixes: ["2001:DB8:5::/48", 198.18.0.0/24, "2001:db8:5::/48"]
              exclude-prefixes: [198.18.0.128/25, 198.18.0.128/25]
              ports: [443, 8443, 443]

            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try BinaryRunner.run(["validate", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\(path):6:48: warning: \"2001:db8:5::/48\" repeats the prefix 2001:db8:5::/48"),
                "\(result.stderr)")
        #expect(result.stderr.contains("\(path):7:39: warning: \"198.18.0.128/25\" repeats the excluded prefix"))
        #expect(result.stderr.contains("\(path):8:22: warning: \"443\" repeats the port 443"))
        #expect(result.stderr.split(separator: "\n").count == 3, "\(result.stderr)")
    }

    @Test func aPolicyWithoutRepeatsHasNoWarnings() throws {
        let result = try BinaryRunner.run(["validate", BinaryRunner.example("holidays.yaml")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test(arguments: [["--exception-dates", "0000-01-01"], ["--at", "0000-06-01T00:00:00Z"]])
    func yearZeroIsRefusedAlike(arguments: [String]) throws {
        let result = try BinaryRunner.run(["show", "--no-throttle"] + arguments)
        #expect(result.stderr.contains("\"0000-"), "\(result.stderr)")
        #expect(result.stderr.contains("is out of range: years run from 0001 to 9999"), "\(result.stderr)")
    }
}
