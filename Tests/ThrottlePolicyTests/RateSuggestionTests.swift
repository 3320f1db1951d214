import Foundation
import Testing
import ThrottlePolicy

/// Every spelling a rate message suggests is one the parser accepts, with the value it promises.
struct RateSuggestionTests {
    /// The rates a message offers: the words after "write" and "or", and inside "(…", that start with a digit.
    static func suggestions(in message: String) -> [String] {
        let words = message.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == ":" })
        var found: [String] = []
        for (index, word) in words.enumerated() where index > 0 {
            let previous = words[index - 1]
            var candidate = String(word)
            if candidate.hasPrefix("(") { candidate.removeFirst() } else if previous != "write" && previous != "or" {
                continue
            }
            while let last = candidate.last, ",)".contains(last) { candidate.removeLast() }
            if candidate.first?.isNumber == true { found.append(candidate) }
        }
        return found
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var input: String
        var expected: [(String, UInt64)]
        var testDescription: String { input }
        init(_ input: String, _ expected: [(String, UInt64)]) {
            self.input = input
            self.expected = expected
        }
    }

    static let cases: [Case] = [
        Case("5bps", [("5bit", 5), ("5B/s", 40)]),
        Case("5kibps", [("5kibit", 5120), ("5KiB/s", 40960)]),
        Case("5kbps", [("5kbit", 5000), ("5kibit", 5120), ("5KB/s", 40000)]),
        Case("512Kbps", [("512kbit", 512_000), ("512kibit", 524_288), ("512KB/s", 4_096_000)]),
        Case("5mib/s", [("5mibit", 5 << 20 as UInt64), ("5MiB/s", 40 << 20 as UInt64)]),
        Case("1tib/s", [("1tibit", 1 << 40 as UInt64), ("1TiB/s", 8 << 40 as UInt64)]),
        Case("10mb", [("10mbit", 10_000_000), ("10MB/s", 80_000_000)]),
        Case("10MB", [("10MB/s", 80_000_000), ("10mbit", 10_000_000)]),
        Case("2GiB", [("2GiB/s", 16 << 30 as UInt64), ("2gibit", 2 << 30 as UInt64)]),
    ]

    @Test(arguments: cases)
    func suggestionsParseToWhatTheySay(_ testCase: Case) throws {
        let (input, expected) = (testCase.input, testCase.expected)
        let error = try #require(throws: ValueError.self) { try RateParser.bitsPerSecond(input) }
        let offered = Self.suggestions(in: error.message)
        #expect(offered == expected.map(\.0), "\(error.message)")
        for (spelling, bits) in expected {
            #expect(try RateParser.bitsPerSecond(spelling) == bits, "\(spelling)")
        }
    }

    @Test(arguments: ["5bps", "5kibps", "5Mbps", "5MBps", "5gibps", "1tb", "3Tib", "7kB", "7mib/s", "9Gb"])
    func everyOfferedSpellingParses(input: String) throws {
        let error = try #require(throws: ValueError.self) { try RateParser.bitsPerSecond(input) }
        let offered = Self.suggestions(in: error.message)
        #expect(!offered.isEmpty, "\(error.message)")
        for spelling in offered { #expect((try? RateParser.bitsPerSecond(spelling)) != nil, "\(spelling)") }
    }

    /// The capital B says bytes; the prefix and "/s" are read in any case (README, Bandwidth units).
    @Test(arguments: [
        ("5kB/s", UInt64(40000)), ("5mB/s", 40_000_000), ("5MIB/s", 40 << 20 as UInt64), ("5MB/S", 40_000_000),
    ])
    func onlyTheBIsCaseSensitive(text: String, bits: UInt64) throws {
        #expect(try RateParser.bitsPerSecond(text) == bits)
    }

    @Test func theUnknownUnitListNamesEveryByteUnit() throws {
        let error = try #require(throws: ValueError.self) { try RateParser.bitsPerSecond("5furlongs") }
        for unit in ["B/s", "KB/s", "MB/s", "GB/s", "TB/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s"] {
            #expect(error.message.contains(" \(unit)"), "\(unit)")
        }
    }
}
