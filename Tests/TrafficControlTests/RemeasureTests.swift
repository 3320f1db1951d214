import Testing
import TestSupport

/// The traffic suites' rule for repeating a missed measurement, checked with scripted CPU counters.
struct RemeasureTests {
    /// CPU counters that advance 1,000 ticks per read, the host stealing `stolenPerAttempt[n]` of attempt n.
    final class ScriptedCPU {
        private var reads = 0
        private var total: UInt64 = 0
        private var stolen: UInt64 = 0
        private let stolenPerAttempt: [Double]
        init(_ stolenPerAttempt: [Double]) { self.stolenPerAttempt = stolenPerAttempt }
        func read() -> CPUTimes {
            if reads % 2 == 1 {
                total += 1000
                stolen += UInt64(stolenPerAttempt[reads / 2] * 1000)
            }
            reads += 1
            return CPUTimes(total: total, stolen: stolen)
        }
    }

    func run(results: [Bool], stolen: [Double]) -> Remeasure<Bool> {
        let cpu = ScriptedCPU(stolen)
        var next = results.makeIterator()
        return Remeasure({ next.next()! }, holds: { $0 }, log: { _ in }, cpu: { cpu.read() })
    }

    @Test func aHoldingFirstAttemptIsTheOnlyOne() {
        #expect(run(results: [true], stolen: [0.5]).attempts.count == 1)
    }

    @Test func aMissIsMeasuredOnceMoreWhateverTheSteal() {
        let second = run(results: [false, true], stolen: [0, 0])
        #expect(second.attempts.count == 2 && second.last)
        let quietMisses = run(results: [false, false, true], stolen: [0, 0.01, 0])
        #expect(quietMisses.attempts.count == 2 && !quietMisses.last, "two misses on a quiet machine fail")
    }

    @Test func aThirdAttemptNeedsStealDuringBothMisses() {
        let busy = run(results: [false, false, true], stolen: [0.05, 0.02, 0])
        #expect(busy.attempts.count == 3 && busy.last)
        #expect(busy.attempts.map(\.stolen) == [0.05, 0.02, 0])
        let oneBusy = run(results: [false, false, true], stolen: [0.2, 0.019, 0])
        #expect(oneBusy.attempts.count == 2)
    }

    @Test func neverMoreThanThreeAttempts() {
        let allBusy = run(results: [false, false, false, true], stolen: [0.3, 0.3, 0.3, 0.3])
        #expect(allBusy.attempts.count == 3 && !allBusy.last)
    }
}
