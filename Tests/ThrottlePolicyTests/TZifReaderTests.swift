import Testing

@testable import ThrottlePolicy

/// The TZif reader on hand-made files: versions, the 64-bit block, footers, and malformed data.
struct TZifReaderTests {
    /// Two types and two transitions: +01 `AAA` until 1000, +02 `BBB` until 2000, then `AAA` again.
    static var simple: TZifFixture {
        var fixture = TZifFixture()
        fixture.types = [(3600, false, 0), (7200, true, 4)]
        fixture.abbreviations = "AAA\0BBB\0"
        fixture.transitions = [(1000, 1), (2000, 0)]
        return fixture
    }

    @Test(arguments: [0, UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "4")])
    func transitionsAndTypes(version: UInt8) throws {
        var fixture = Self.simple
        fixture.version = version
        let zone = try TimeZoneRules(name: "Test/Simple", tzif: fixture.bytes)
        #expect(zone.contents.version == (version == 0 ? 1 : Int(version - 48)))
        #expect(zone.offset(at: -1_000_000) == 3600)
        #expect(zone.offset(at: 999) == 3600)
        #expect(
            zone.localTimeType(at: 1000) == LocalTimeType(offset: 7200, abbreviation: "BBB", isDaylightSaving: true))
        #expect(zone.offset(at: 1999) == 7200)
        #expect(zone.offset(at: 2000) == 3600)
        // No footer (or an empty one): the last transition's type holds for ever.
        #expect(zone.abbreviation(at: 4_000_000_000) == "AAA")
        #expect(zone.name == "Test/Simple")
    }

    @Test func versionTwoReadsTheSixtyFourBitBlockAndItsFooter() throws {
        var fixture = TZifFixture()
        // Before the first transition type 0 applies, even though no transition names it.
        fixture.types = [(-17_762, false, 0), (-18_000, false, 4), (-14_400, true, 8)]
        fixture.abbreviations = "LMT\0EST\0EDT\0"
        fixture.transitions = [(-2_717_650_800, 1), (5_000_000_000, 2)]  // 1883, and 2128 (beyond 32 bits)
        fixture.footer = "EST5EDT,M3.2.0,M11.1.0"
        let zone = try TimeZoneRules(name: "Test/Eastern", tzif: fixture.bytes)
        #expect(zone.offset(at: -3_000_000_000) == -17_762)
        #expect(zone.offset(at: 0) == -18_000)
        #expect(zone.offset(at: 5_000_000_000) == -14_400)
        // After the last transition the footer answers: 2128-07-01 is summer, 2129-01-01 winter.
        let july2128 = LocalDate(year: 2128, month: 7, day: 1)!.dayNumber * 86_400
        let january2129 = LocalDate(year: 2129, month: 1, day: 1)!.dayNumber * 86_400
        #expect(zone.abbreviation(at: july2128) == "EDT")
        #expect(zone.abbreviation(at: january2129) == "EST")
    }

    @Test func noTransitionsMeansTheFooterOrTheFirstType() throws {
        var fixture = TZifFixture()
        fixture.types = [(19_800, false, 0)]
        fixture.abbreviations = "IST\0"
        fixture.footer = "IST-5:30"
        #expect(try TimeZoneRules(name: "A", tzif: fixture.bytes).offset(at: 1_800_000_000) == 19_800)
        fixture.footer = "<+03>-3"
        #expect(try TimeZoneRules(name: "B", tzif: fixture.bytes).offset(at: 1_800_000_000) == 10_800)
        fixture.footer = nil
        #expect(try TimeZoneRules(name: "C", tzif: fixture.bytes).offset(at: 1_800_000_000) == 19_800)
        #expect(TimeZoneRules.utc.offset(at: 1_800_000_000) == 0)
        #expect(TimeZoneRules.utc.offset(at: .max) == 0 && TimeZoneRules.utc.offset(at: .min) == 0)
    }

    @Test func extremeInstantsDoNotOverflow() throws {
        var fixture = Self.simple
        fixture.footer = "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1"
        let zone = try TimeZoneRules(name: "X", tzif: fixture.bytes)
        for instant in [Int.min, Int.min + 1, -1 << 62, 1 << 62, Int.max - 1, Int.max] {
            #expect([-10_800, -7200, 3600].contains(zone.offset(at: instant)))
        }
    }

    static func refuses(_ bytes: [UInt8], _ fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation)
    {
        let error = #expect(throws: ValueError.self, sourceLocation: sourceLocation) {
            try TZifReader.parse(bytes)
        }
        #expect(
            error?.message.contains(fragment) == true, "\(error?.message ?? "no error")", sourceLocation: sourceLocation
        )
    }

    @Test func malformedFilesAreRefusedWithTheReason() {
        Self.refuses(Array("# version 2026f\n".utf8), "\"TZif\"")
        var badVersion = Self.simple.bytes
        badVersion[4] = UInt8(ascii: "5")
        Self.refuses(badVersion, "version")
        var outOfRange = Self.simple
        outOfRange.transitions = [(1000, 7)]
        Self.refuses(outOfRange.bytes, "local time type 7")
        var unordered = Self.simple
        unordered.transitions = [(2000, 1), (1000, 0)]
        Self.refuses(unordered.bytes, "not in order")
        var leap = Self.simple
        leap.leapCount = 2
        Self.refuses(leap.bytes, "leap seconds")
        var badFooter = Self.simple
        badFooter.footer = "EST5EDT,M3.2.0"
        Self.refuses(badFooter.bytes, "footer")
        Self.refuses(Self.simple.bytes.dropLast(), "footer does not end")
        var badOffset = Self.simple
        badOffset.types[0].offset = Int32.min
        Self.refuses(badOffset.bytes, "UT offset")
        var badAbbreviation = Self.simple
        badAbbreviation.types[1].abbreviation = 200
        Self.refuses(badAbbreviation.bytes, "abbreviation index")
        var noTypes = Self.simple
        noTypes.types = []
        noTypes.transitions = []
        Self.refuses(noTypes.bytes, "no local time types")
    }

    @Test func everyTruncationIsRefusedAndNoneCrashes() {
        var fixture = Self.simple
        fixture.footer = "EST5EDT,M3.2.0,M11.1.0"
        let bytes = fixture.bytes
        for length in 0..<bytes.count where length != fixture.lengthWithoutFooter {
            #expect(throws: ValueError.self, "length \(length)") { try TZifReader.parse(Array(bytes.prefix(length))) }
        }
    }

    @Test func corruptedBytesNeverCrash() {
        var fixture = Self.simple
        fixture.footer = "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1"
        let original = fixture.bytes
        var random = SeededGenerator(seed: 8536)
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if let zone = try? TimeZoneRules(name: "Fuzz", tzif: bytes) {
                for instant in [Int.min, -1, 0, 1500, 1 << 40, Int.max] { _ = zone.offset(at: instant) }
            }
        }
    }
}
