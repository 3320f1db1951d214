import Testing
import ThrottlePolicy

struct RateParserTests {
    @Test(arguments: [
        ("524288", UInt64(524_288)),
        ("2097152", 2_097_152),
        ("8000bit", 8000),
        ("512kibit", 524_288),
        ("512KiBit", 524_288),
        ("512 kibit", 524_288),
        ("2mibit", 2_097_152),
        ("1023mibit", 1_072_693_248),
        ("1.5mbit", 1_500_000),
        ("1.5MBIT", 1_500_000),
        ("0.5kibit", 512),
        ("10mbit/s", 10_000_000),
        ("1gbit", 1_000_000_000),
        ("1gibit", 1_073_741_824),
        ("2tbit", 2_000_000_000_000),
        ("1tibit", 1_099_511_627_776),
        ("1B/s", 8),
        ("1KB/s", 8000),
        ("1kB/s", 8000),
        ("1KiB/s", 8192),
        ("5MB/s", 40_000_000),
        ("1.25MiB/s", 10_485_760),
        ("1GB/s", 8_000_000_000),
        ("1GiB/s", 8_589_934_592),
        ("  64kbit  ", 64000),
        ("18446744073709551615", UInt64.max),
    ])
    func acceptsSpelling(text: String, bits: UInt64) throws {
        #expect(try RateParser.bitsPerSecond(text) == bits)
    }

    @Test(arguments: [
        ("10Mbps", "ambiguous"),
        ("512Kbps", "512kbit"),
        ("512kbps", "512KB/s"),
        ("2MBps", "ambiguous"),
        ("100bps", "ambiguous"),
        ("10kb/s", "ambiguous (bits or bytes?)"),
        ("10mb", "ambiguous (bits or bytes?)"),
        ("10MB", "a size, not a rate"),
        ("10KiB", "a size, not a rate"),
        ("0", "zero"),
        ("0mbit", "zero"),
        ("-5mbit", "negative"),
        ("1.5bit", "not a whole number"),
        ("0.1kibit", "not a whole number"),
        ("fast", "not a rate"),
        ("", "missing"),
        ("1.2.3mbit", "not a rate"),
        (".5mbit", "not a rate"),
        ("5.mbit", "not a rate"),
        ("10 furlongs", "unknown unit"),
        ("10xbit", "unknown unit"),
        ("18446744073709551616", "too large"),
        ("99999999999999999999tbit", "too large"),
        // Malformed decimals are "not a rate", never "too large" (issue 7).
        ("1.0000000000000000000001mbit", "more than 18 decimal places"),
        ("½KB/s", "not a rate"),
        ("٣mbit", "not a rate"),
        ("1e9", "exponents are not accepted"),
        ("0x10", "hexadecimal"),
        ("1,5mbit", "not a comma"),
    ])
    func rejectsSpelling(text: String, fragment: String) {
        #expect {
            _ = try RateParser.bitsPerSecond(text)
        } throws: { error in
            (error as? ValueError)?.message.contains(fragment) == true
        }
    }

    @Test func ambiguityMessageOffersBothUnambiguousSpellings() throws {
        let error = try #require(throws: ValueError.self) { try RateParser.bitsPerSecond("512Kbps") }
        #expect(error.message.contains("512kbit"))
        #expect(error.message.contains("512kibit"))
        #expect(error.message.contains("512KB/s"))
        #expect(error.message.contains("tc"))
        #expect(error.message.contains("MARS"))
    }

    @Test func unlimitedIsABandwidthButNotARate() throws {
        #expect(try Bandwidth(parsing: "unlimited") == .unlimited)
        #expect(try Bandwidth(parsing: "Unlimited") == .unlimited)
        #expect(throws: ValueError.self) { try RateParser.bitsPerSecond("unlimited") }
    }

    @Test(arguments: [
        (UInt64(524_288), "512 Kibit/s"),
        (2_097_152, "2 Mibit/s"),
        (1_500_000, "1.5 Mbit/s"),
        (20_000_000, "20 Mbit/s"),
        (8000, "8 kbit/s"),
        (1_072_693_248, "1023 Mibit/s"),
        (999, "999 bit/s"),
    ])
    func readableForm(bits: UInt64, text: String) {
        #expect(BitRate(bitsPerSecond: bits).description == text)
    }
}
