import Foundation
import Testing
import TestSupport

extension KernelSuites {
    /// The corpus cases that reach a real `apply` or `clear`: each exits as documented, says why, and leaves
    /// every qdisc, class, filter and link in its namespace exactly as it was.
    @Suite struct CorpusKernelTests {
        @Test func thereAreCasesThatReachTheKernel() {
            #expect(CorpusCase.reachingApply.count >= 30)
        }

        @Test(arguments: CorpusCase.reachingApply)
        func aRefusedCommandChangesNothing(_ testCase: CorpusCase) throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: state) }
            // Shape v0 first, so that a refused command has something it could wrongly change.
            try TrafficTests.apply(namespace, TrafficTests.flags("10mbit"))
            let before = try namespace.fullDump()
            // Our own folders, so the run never touches the machine's /var/lib or /run.
            var arguments = testCase.arguments
            if ["apply", "clear", "status"].contains(arguments.first ?? "") {
                arguments += ["--state-dir", state, "--run-dir", state + "/run"]
            }
            let input = URL(fileURLWithPath: testCase.standardInput.map(CorpusCase.file) ?? "/dev/null")
            let result = try BinaryRunner.run(arguments, environment: ["TZ": "Etc/UTC", "SWIFT_BACKTRACE": "enable=no"],
                                              prefix: ["ip", "netns", "exec", namespace.name], standardInput: input,
                                              timeout: 20)
            #expect(result.status == testCase.exitCode, "\(arguments)\n\(result.stderr)")
            #expect(result.stderr.contains(testCase.expectedMessage), "\(arguments)\n\(result.stderr)")
            #expect(try namespace.fullDump() == before, "the kernel changed: \(arguments)")
        }
    }
}
