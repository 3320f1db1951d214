import Foundation
import Testing
import TestSupport
import ThrottlePolicy
import TrafficControl
import TrafficSelection

extension KernelSuites {
    /// Real flows with a 10 Mbit/s selection: the selected one held on the wire, the unselected one at speed.
    @Suite struct SelectionTrafficTests {
        struct Case: Sendable, CustomTestStringConvertible {
            let download: Bool
            let ipv6: Bool
            /// Selected by port (443) to the same address, instead of by address.
            var byPort = false
            var testDescription: String {
                "\(download ? "download" : "upload") IPv\(ipv6 ? 6 : 4)\(byPort ? " by port 443 vs 5201" : "")"
            }
        }

        static let cases = [false, true].flatMap { download in [false, true].map { Case(download: download, ipv6: $0) } }
            + [Case(download: false, ipv6: false, byPort: true), Case(download: true, ipv6: true, byPort: true)]

        static let rate = 10_000_000.0
        /// Alternating pairs of rounds measured in a set, and how many of them (those in which the host of this
        /// virtual machine stole the least CPU time) are judged; odd, so that a median is a pair.
        static let (pairsMeasured, pairsJudged) = (9, 5)

        /// One pair of rounds: the unselected flow with nothing applied, then beside the shaped selected flow.
        struct RoundPair {
            /// The selected flow's rate on the wire in the shaped round, in bit/s.
            var wire: Double
            /// The unselected flow's goodput with nothing applied, in bit/s.
            var alone: Double
            /// The unselected flow's goodput beside the shaped selected flow, in bit/s.
            var beside: Double
            /// The share of CPU time the host took from this machine during the pair.
            var stolen: Double
        }

        /// What one set of alternating pairs measured, and how it is judged.
        struct Rounds {
            var pairs: [RoundPair] = []

            static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            /// The pairs during which the host stole the least CPU time: a veth pair's speed is the CPU's, so a
            /// round the host took the cores from measures the host, not the shaper (both of the pair's rounds
            /// lose alike only if the theft falls evenly on them).
            var judged: [RoundPair] {
                Array(pairs.sorted { $0.stolen < $1.stolen }.prefix(SelectionTrafficTests.pairsJudged))
            }
            /// The selected flow's rate on the wire: the median judged pair.
            var wire: Double { Self.median(judged.map(\.wire)) }
            /// The median of the judged pairs' unselected ÷ unshaped: the two rounds of a pair run seconds apart.
            var ratio: Double { Self.median(judged.map { $0.beside / $0.alone }) }
            /// The fastest shaped round of all pairs: a shaper that lets more through is never excused by the host.
            var fastestWire: Double { pairs.map(\.wire).max() ?? 0 }
            /// The selected flow within ±1 % of the rate on the wire (judged pairs).
            var wireHolds: Bool { abs(wire / SelectionTrafficTests.rate - 1) <= 0.01 }
            /// No shaped round of any pair above the rate + 1 %.
            var neverTooFast: Bool { fastestWire <= 1.01 * SelectionTrafficTests.rate }
            /// The unselected flow at ≥ 90 % of its unshaped speed (judged pairs).
            var ratioHolds: Bool { ratio >= 0.9 }
            /// All three targets.
            var holds: Bool { wireHolds && neverTooFast && ratioHolds }
            var summary: String {
                let percent = { (share: Double) in String(format: "%.1f%%", share * 100) }
                return "selected \(Int(wire)) bit/s on the wire (ratio \(wire / SelectionTrafficTests.rate)), "
                    + "unselected ÷ unshaped \(ratio) (medians of the \(judged.count) pairs with the least CPU stolen "
                    + "by the host, of \(pairs.count)); pairs (wire bit/s, unselected vs unshaped Mbit/s, stolen): "
                    + pairs.map { "(\(Int($0.wire)), \(Int($0.beside / 1e6)) vs \(Int($0.alone / 1e6)), \(percent($0.stolen)))" }
                        .joined(separator: " ")
            }
        }

        @Test(arguments: cases)
        func selectedIsHeldAndUnselectedRunsFree(_ testCase: Case) throws {
            try KernelGate.check()
            // A veth pair's speed on two shared (virtual) cores swings ±15 % from one 2 s round to the next with
            // nothing applied at all, and a host that takes the cores away for a while slows the selected flow's
            // sender too. A set that misses is measured again in a new namespace (`Remeasure`: once, or twice when
            // the host stole CPU time during both misses), and the last set must hold: a shaper that slows
            // unselected traffic (a flat filter list gave 0.53) or lets the selected flow through too fast or too
            // slow misses every time.
            var set = 0
            let sets = try Remeasure({ () throws -> Rounds in
                let rounds = try Self.measure(testCase)
                set += 1
                print("selection traffic \(testCase.testDescription), set \(set): \(rounds.summary)")
                return rounds
            }, holds: \.holds)
            let last = sets.last
            let wires = sets.attempts.map { "\(Int($0.measurement.wire))" }.joined(separator: ", ")
            let ratios = sets.attempts.map { "\($0.measurement.ratio)" }.joined(separator: ", ")
            let fastest = sets.attempts.map(\.measurement.fastestWire).max() ?? 0
            #expect(last.wireHolds, "selected flow on the wire, set by set: \(wires) bit/s")
            #expect(sets.attempts.allSatisfy { $0.measurement.neverTooFast }, "a shaped round let through \(Int(fastest)) bit/s")
            #expect(last.ratioHolds, "unselected ÷ unshaped, set by set: \(ratios)")
        }

        /// Alternating rounds in a new rig: (A) nothing applied, the selected address's flow paced by iperf3
        /// itself to the same 10 Mbit/s (so that both sides run the same processes and bytes) and the unselected
        /// flow beside it; (B) the selection applied, the selected flow shaped by our TBF (whose counters are read
        /// around the unselected flow) and the unselected flow beside it. A fixed number of pairs is run, never
        /// stopped early on a good result.
        static func measure(_ testCase: Case) throws -> Rounds {
            let rig = try SelectionRig()
            let family = testCase.ipv6 ? 1 : 0
            let selected = [SelectionRig.selected.ipv4, SelectionRig.selected.ipv6][family]
            let other = testCase.byPort ? selected : [SelectionRig.unselected.ipv4, SelectionRig.unselected.ipv6][family]
            let (selectedPort, otherPort) = testCase.byPort ? (443, 5201) : (5201, 5202)
            let selection = try SelectionRig.selection(SelectionRig.smallSelection, ports: testCase.byPort ? [443] : [])
            let window = SelectionRig.window(upload: 10_000_000, download: 10_000_000)
            var rounds = Rounds()
            for _ in 0..<Self.pairsMeasured {
                let clock0 = try CPUTimes.read()
                let paced = try IperfFlow(rig.namespace, to: selected, port: selectedPort, seconds: 4,
                                          download: testCase.download, bitsPerSecond: 10_000_000)
                Thread.sleep(forTimeInterval: 1.2)
                let alone = try IperfFlow(rig.namespace, to: other, port: otherPort, seconds: 2,
                                          download: testCase.download).goodput()
                _ = paced.goodput()
                try rig.apply(window, selection: selection)
                let device = testCase.download ? try rig.downloadIFB : try rig.uploadIFB
                let shaped = try IperfFlow(rig.namespace, to: selected, port: selectedPort, seconds: 5,
                                           download: testCase.download)
                Thread.sleep(forTimeInterval: 1.2)
                let (bytes0, time0) = (try rig.tbfBytes(device), Date())
                let beside = try IperfFlow(rig.namespace, to: other, port: otherPort, seconds: 2,
                                           download: testCase.download).goodput()
                let wire = Double(try rig.tbfBytes(device) - bytes0) * 8 / Date().timeIntervalSince(time0)
                _ = shaped.goodput()
                try rig.clear()
                rounds.pairs.append(RoundPair(wire: wire, alone: alone, beside: beside,
                                              stolen: try CPUTimes.read().stolenShare(since: clock0)))
            }
            return rounds
        }

        /// An updated selection (one prefix added, then removed again) is applied mid-flow: the selected flow's
        /// TBF keeps counting every 100 ms, and re-applying writes nothing.
        @Test func anUpdatedSelectionKeepsTheFlowShaped() throws {
            try KernelGate.check()
            let rig = try SelectionRig()
            let window = SelectionRig.window(upload: 10_000_000, download: 10_000_000)
            let base = try SelectionRig.selection(SelectionRig.hashedSelection)
            let more = try SelectionRig.selection(SelectionRig.hashedSelection + ["198.19.201.0/24", "2001:db8:61::/48"])
            try rig.apply(window, selection: base)
            let device = try rig.uploadIFB
            let flow = try IperfFlow(rig.namespace, to: SelectionRig.selected.ipv4, port: 5201, seconds: 6, download: false)
            Thread.sleep(forTimeInterval: 1.5)
            var samples: [UInt64] = [try rig.tbfBytes(device)]
            var writes: [Int] = []
            for step in 0..<30 {
                Thread.sleep(forTimeInterval: 0.1)
                samples.append(try rig.tbfBytes(device))
                if step == 10 { writes.append(try rig.apply(window, selection: more).performed.count) }
                if step == 20 { writes.append(try rig.apply(window, selection: base).performed.count) }
            }
            withExtendedLifetime(flow) {}
            let deltas = zip(samples.dropFirst(), samples).map { Double($0 - $1) * 8 / 0.1 }
            print("selection update: writes \(writes), 100 ms rates \(deltas.map { Int($0 / 1000) }) kbit/s")
            #expect(writes == [4, 4], "one leaf per family and hook each time")
            #expect(deltas.allSatisfy { $0 > 0.5 * Self.rate && $0 < 1.5 * Self.rate }, "shaped throughout")
            #expect(try rig.reconcile(window, selection: base).isEmpty)
            try rig.clear()
        }
    }
}
