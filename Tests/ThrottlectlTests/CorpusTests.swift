import Foundation
import Testing
import TestSupport

/// The bad-input corpus: every malformed policy, flag set and input in `Tests/Corpus/cases.tsv` gives its
/// documented exit code and a message that says what is wrong, within seconds, and never a crash.
struct CorpusTests {
    @Test func theCorpusIsLargeAndNamesAreUnique() {
        #expect(CorpusCase.all.count >= 200)
        #expect(Set(CorpusCase.all.map(\.name)).count == CorpusCase.all.count)
    }

    @Test(arguments: CorpusCase.withoutKernel)
    func badInput(_ testCase: CorpusCase) throws {
        let input = URL(fileURLWithPath: testCase.standardInput.map(CorpusCase.file) ?? "/dev/null")
        let result = try BinaryRunner.run(testCase.arguments, environment: ["TZ": "Etc/UTC", "SWIFT_BACKTRACE": "enable=no"],
                                          standardInput: input, timeout: 20)
        #expect(result.status == testCase.exitCode, "\(testCase.arguments)\n\(result.stderr)")
        #expect(result.stderr.contains(testCase.expectedMessage), "\(testCase.arguments)\n\(result.stderr)")
        // A refusal says so on standard error and prints no result.
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Domain="))
    }
}
