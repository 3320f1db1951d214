import Foundation
import Testing
import ThrottlePolicy
import TokenBucket

/// Every input the fuzzers found a crash with (`Benchmarks/Fuzz/Crashes/`) keeps the property its harness
/// checks: the parsers read it or refuse it, and whatever they read survives being written back.
struct FuzzCrashRegressionTests {
    static let crashes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Benchmarks/Fuzz/Crashes")

    static func inputs(_ harness: String) -> [String] {
        let folder = crashes.appendingPathComponent(harness)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0 != "README.md" }.sorted().map { folder.appendingPathComponent($0).path }
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self)
    }

    @Test func everyHarnessHasItsSavedCrashes() {
        for harness in ["iso8601", "policy", "quantities"] {
            #expect(!Self.inputs(harness).isEmpty, "\(harness)")
        }
    }

    @Test(arguments: inputs("iso8601"))
    func instantsSurviveWritingBack(_ path: String) throws {
        let text = try Self.text(path)
        guard let instant = try? ISO8601.parse(text) else { return }
        let reread = try ISO8601.parse(ISO8601.format(instant, in: .utc))
        #expect(abs(reread.timeIntervalSince(instant)) <= 0.0005, "\(text)")
    }

    @Test(arguments: inputs("policy"))
    func policiesLoadOrAreRefused(_ path: String) throws {
        let text = try Self.text(path)
        do {
            let policy = try PolicyLoader.policy(text: text, file: "fuzz.yaml")
            _ = Schedule(policy: policy).window(at: Date(timeIntervalSince1970: 1_795_600_800))
        } catch {
            #expect(!error.description.isEmpty)
        }
    }

    @Test(arguments: inputs("quantities"))
    func quantitiesSurviveWritingBack(_ path: String) throws {
        let text = try Self.text(path)
        if let bits = try? RateParser.bitsPerSecond(text) {
            #expect(try RateParser.bitsPerSecond(String(bits)) == bits, "\(text)")
        }
        if let bytes = try? ByteSize.parse(text) {
            #expect(try ByteSize.parse(String(bytes)) == bytes, "\(text)")
        }
        if let micros = try? Duration.microseconds(text) {
            #expect(try Duration.microseconds("\(micros)us") == micros, "\(text)")
        }
    }

    @Test(arguments: ["2024-02-22T4\u{301}0:00Z", "2026-11-24T09:00:00+0\u{301}1:00", "2026-11-24T09:00:00.5\u{301}Z",
                      "9999-12-31T23:59-18", "0001-01-01T00:00+14"])
    func digitsWithMarksAndInstantsPastTheYearsAreRefused(_ text: String) {
        #expect(throws: ValueError.self) { try ISO8601.parse(text) }
    }

    @Test func theLastSecondOfTheYearsIsReadUpToWhatRoundsWithinThem() throws {
        let latest = try ISO8601.parse("9999-12-31T23:59:59.999Z")
        #expect(try ISO8601.parse(ISO8601.format(latest, in: .utc)) == latest)
        #expect(throws: ValueError.self) { try ISO8601.parse("9999-12-31T23:59:59.9999Z") }
    }
}
