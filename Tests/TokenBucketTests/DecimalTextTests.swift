import Testing
import TokenBucket

/// The one decimal reader that rates, sizes and durations share.
struct DecimalTextTests {
    @Test(arguments: [
        ("1.5", UInt64(1000), UInt64(1500)), ("0.5", 1024, 512), ("007", 1, 7), ("1.000", 1, 1),
        ("18446744073709551615", 1, .max), ("0.000000000000000001", 1_000_000_000_000_000_000, 1),
        ("1.00000000000000000000000", 1, 1),
    ])
    func exactValues(text: String, scale: UInt64, value: UInt64) throws {
        let (number, unit) = try DecimalText.leadingNumber(of: text)
        #expect(unit.isEmpty)
        #expect(try number.times(scale) == value)
    }

    @Test(arguments: [
        ("½", "not one of the digits"), ("٣", "not one of the digits"), ("1٣", "not one of the digits"),
        ("1e9", "exponents"), ("1E+3", "exponents"), ("0x10", "hexadecimal"), (".5", "starts with a point"),
        ("5.", "ends with a point"), ("1.2.3", "more than one decimal point"), ("-1", "negative"), ("+1", "sign"),
        ("1,5", "comma"), ("", "empty"), ("abc", "does not start with a digit"),
    ])
    func malformedNumbersAreNotNumbers(text: String, reason: String) throws {
        let problem = try #require(throws: DecimalText.Problem.self) { try DecimalText.leadingNumber(of: text) }
        guard case .notANumber(let why) = problem else {
            Issue.record("\(text): \(problem)")
            return
        }
        #expect(why.contains(reason))
    }

    @Test func tooManyPlacesIsNotTooLarge() throws {
        let (number, _) = try DecimalText.leadingNumber(of: "1.0000000000000000000001")
        #expect(throws: DecimalText.Problem.tooManyDecimalPlaces) { try number.times(1_000_000) }
    }

    @Test func largeAndFractionalResults() throws {
        #expect(throws: DecimalText.Problem.tooLarge) { try DecimalText.leadingNumber(of: "18446744073709551616").number.times(1) }
        #expect(throws: DecimalText.Problem.tooLarge) { try DecimalText.leadingNumber(of: "18446744073709551615.5").number.times(2) }
        #expect(throws: DecimalText.Problem.notWhole) { try DecimalText.leadingNumber(of: "1.5").number.times(1) }
    }

    @Test(arguments: ["½KB", "٣KiB", "1e3B", "0x10", ".5KB", "5.KB"])
    func sizesSayNotASize(text: String) {
        #expect { try ByteSize.parse(text) } throws: { ($0 as? TokenBucketError)?.message.contains("is not a size") == true }
    }

    @Test(arguments: ["½ms", "1e3ms", ".5s", "5.s", "٣ms"])
    func durationsSayNotADuration(text: String) {
        #expect { try Duration.microseconds(text) } throws: {
            ($0 as? TokenBucketError)?.message.contains("is not a duration") == true
        }
    }
}
