import Foundation
import Testing
import TestSupport

/// What people typed is quoted in messages, but never as raw control characters a terminal would obey.
struct CLIControlCharacterTests {
    @Test(arguments: ["\u{1B}[31mRED", "Europe/Ber\u{7}lin", "x\u{9B}2J"])
    func controlCharactersInMessagesAreEscaped(_ zone: String) throws {
        let result = try BinaryRunner.run(["show", "--work-days", "mon", "--start-work-hour", "09:00",
                                           "--end-work-hour", "17:00", "--work-hour-bandwidth", "1mbit",
                                           "--non-work-hour-bandwidth", "2mbit", "--time-zone", zone])
        #expect(result.status == 65)
        #expect(result.stderr.contains("unknown time zone"))
        #expect(!result.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B },
                "\(result.stderr.debugDescription)")
        #expect(result.stderr.contains("\\u{"))
    }
}
