import Foundation
import Testing
import TestSupport

extension KernelSuites {
    /// examples/ScheduleSimulation, a package that uses ThrottlePolicy and TokenBucket by path as a user
    /// would, builds and passes its own `swift test`. Under KernelSuites because it builds (CPU-heavy).
    @Suite struct ExamplesPackageTests {
        @Test func scheduleSimulationPackagePassesItsTests() throws {
            let package = BinaryRunner.packageRoot.appendingPathComponent("examples/ScheduleSimulation").path
            // Its own scratch path: SwiftPM holds the outer .build's lock while this suite runs.
            let result = try run(["swift", "test", "--package-path", package, "--scratch-path", "\(package)/.build"],
                                 allowFailure: true)
            #expect(result.status == 0, "\(result.output.suffix(4000))")
            // The example's four tests ran (not an empty target that passes vacuously).
            #expect(result.output.contains("Test run with 4 tests"), "\(result.output.suffix(2000))")
            #expect(!result.output.contains("✘"))
        }
    }
}
