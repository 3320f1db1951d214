import Testing
import ThrottlePolicy

/// Many problems are capped at twenty described and one line counting the rest, and stay fast to find.
struct DiagnosticCapTests {
    @Test func manyUnknownKeysAreCountedNotListed() throws {
        let text = "throttling: false\n" + (0..<5000).map { "key\($0)xyzzy: 1\n" }.joined()
        let error = try #require(throws: PolicyError.self) { try PolicyLoader.policy(text: text, file: "p.yaml") }
        #expect(error.diagnostics.count == 21)
        #expect(error.diagnostics.first?.description.hasPrefix("p.yaml:2:1: unknown key \"key0xyzzy\"") == true)
        #expect(error.diagnostics.last?.message == "and 4980 more problems not listed")
        #expect(error.exitCode == 65)
    }

    @Test func hintsStillFindCloseKeys() throws {
        let error = try #require(throws: PolicyError.self) {
            try PolicyLoader.policy(text: "throtling: false\n", file: "p.yaml")
        }
        #expect(error.diagnostics.first?.message.contains("did you mean \"throttling\"?") == true)
    }

    @Test(arguments: [("p.yaml", "\u{0}"), ("p.yaml", "a\u{7F}")])
    func controlCharactersAreReportedWhereTheyStand(file: String, tail: String) throws {
        let error = try #require(throws: PolicyError.self) {
            try PolicyLoader.policy(text: "throttling: false\ndescription: x" + tail + "\n", file: file)
        }
        #expect(error.diagnostics.first?.description.hasPrefix("p.yaml:2:\(14 + tail.unicodeScalars.count):") == true)
        #expect(error.diagnostics.first?.message.contains("control character") == true)
    }
}
