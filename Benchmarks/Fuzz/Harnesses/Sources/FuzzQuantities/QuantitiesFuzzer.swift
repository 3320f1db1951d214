import FuzzSupport
import ThrottlePolicy
import TokenBucket

/// The parsers of rates, sizes and durations that people type: `RateParser` (and `Bandwidth`, which the
/// policy file and the flags go through), `ByteSize` and `Duration` from TokenBucket.
///
/// Beyond "does not crash or hang", a value that parses must survive being written back as a plain number.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuantities(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // Command-line arguments and YAML scalars reach the parsers as Swift strings, repaired if need be.
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let bits = try? RateParser.bitsPerSecond(text) {
        check(try? RateParser.bitsPerSecond(String(bits)), equals: bits, "RateParser", text)
        check(try? RateParser.bitsPerSecond("\(bits)bit"), equals: bits, "RateParser", text)
    }
    _ = try? Bandwidth(parsing: text).description
    _ = try? Bandwidth.parseDirections(text)
    // Crashes/quantities/*-20-digits: ByteSize and Duration refuse the 20-digit numbers that they produce.
    if let bytes = try? ByteSize.parse(text), !(skipKnownBugs && bytes >= 10_000_000_000_000_000_000) {
        check(try? ByteSize.parse(String(bytes)), equals: bytes, "ByteSize", text)
    }
    if let micros = try? Duration.microseconds(text), !(skipKnownBugs && micros >= 10_000_000_000_000_000_000) {
        check(try? Duration.microseconds("\(micros)us"), equals: micros, "Duration", text)
    }
    return 0
}

private func check(_ reparsed: UInt64?, equals value: UInt64, _ parser: String, _ text: String) {
    guard reparsed == value else {
        let back = reparsed.map(String.init) ?? "an error"
        fatalError("\(parser): \(String(reflecting: text)) reads as \(value), but \(value) reads as \(back)")
    }
}

@_cdecl("FuzzQuantities_main")
func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv, fuzzQuantities)
}
