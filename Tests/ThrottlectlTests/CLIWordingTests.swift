import Foundation
import Testing
import TestSupport

/// Wording a person reads: sub-second transfers, aligned tables, a schedule without work days, 24:00.
struct CLIWordingTests {
    static let schedule = [
        "--work-days", "mon", "--start-work-hour", "09:00", "--end-work-hour", "10:00", "--work-hour-bandwidth",
        "1mbit", "--non-work-hour-bandwidth", "unlimited", "--time-zone", "Europe/Berlin",
    ]

    @Test func aSubSecondTransferShowsMillisecondsInAlignedColumns() throws {
        let result = try BinaryRunner.run(
            ["simulate"] + Self.schedule
                + ["--transfer", "1KB", "--start", "2026-01-05T09:00:00+01:00", "--link-speed", "600gbit"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(8 ms, Europe/Berlin)"), "\(result.stdout)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("START") })
        let row = try #require(lines.last)
        for column in ["KIND", "RATE", "BYTES"] {
            let at = try #require(header.range(of: column)).lowerBound.utf16Offset(in: header)
            let before = row.utf16.index(row.utf16.startIndex, offsetBy: at - 2)
            #expect(row[before...].hasPrefix("  "), "\(column) misaligned:\n\(header)\n\(row)")
            #expect(row.utf16.count > at && Array(row.utf16)[at] != 32, "\(column) misaligned:\n\(header)\n\(row)")
        }
    }

    @Test func aPolicyWithoutWorkDaysSaysWhatApplies() throws {
        let result = try BinaryRunner.run(
            ["show", "--work-days", "none", "--start-work-hour", "09:00", "--end-work-hour", "18:00",
             "--work-hour-bandwidth", "512kibit", "--non-work-hour-bandwidth", "2mbit", "--time-zone", "UTC",
             "--at", "2026-01-05T10:00:00Z"])
        #expect(result.status == 0, "\(result.stderr)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID().uuidString).yaml").path
        try "work-days: []\nwork-hours: {start: \"09:00\", end: \"18:00\"}\nwork-hour-bandwidth: 512kibit\n"
            .appending("non-work-hour-bandwidth: 2mbit\ntime-zone: UTC\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let validate = try BinaryRunner.run(["validate", path])
        #expect(validate.stdout.contains("valid: throttled, no work days: 2 Mbit/s all week"), "\(validate.stdout)")
        #expect(!validate.stdout.contains("none 09:00"))
    }

    @Test func startingAt24ReadsAsASentence() throws {
        let result = try BinaryRunner.run(
            ["show", "--work-days", "mon", "--start-work-hour", "24:00", "--end-work-hour", "18:00",
             "--work-hour-bandwidth", "1mbit", "--non-work-hour-bandwidth", "2mbit"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("a day's window starts between 00:00 and 23:59:59 (24:00 can only end one)"),
                "\(result.stderr)")
    }
}
