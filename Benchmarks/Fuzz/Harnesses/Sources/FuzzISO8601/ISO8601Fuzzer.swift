import Foundation
import FuzzSupport
import ThrottlePolicy

/// The ISO-8601 instant parser behind `--at` and `--from`/`--to`: `ISO8601.parse`.
///
/// An instant it reads must come back, to the millisecond, through `ISO8601.format` and `parse` again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzISO8601(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if skipKnownBugs, hasDigitWithMarks(text) { return 0 }
    guard let instant = try? ISO8601.parse(text) else { return 0 }
    let seconds = instant.timeIntervalSince1970
    // Crashes/iso8601/year-10000-*: an instant that is (or rounds to the millisecond into) year 10000 in UTC is
    // read, written with five digits and then refused.
    if skipKnownBugs, seconds >= 253_402_300_799.999 || seconds < -62_135_596_800 { return 0 }
    let written = ISO8601.format(instant, in: utc)
    guard let reread = try? ISO8601.parse(written) else {
        fatalError("ISO8601: \(String(reflecting: text)) reads as \(seconds) s, written \(written), which is refused")
    }
    guard abs(reread.timeIntervalSince(instant)) <= 0.0005 + 1e-9 * abs(seconds) else {
        let back = reread.timeIntervalSince1970
        fatalError("ISO8601: \(String(reflecting: text)) reads as \(seconds) s, written \(written), read back \(back) s")
    }
    return 0
}

private let utc = TimeZoneRules.utc

@_cdecl("FuzzISO8601_main")
func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv, fuzzISO8601)
}
