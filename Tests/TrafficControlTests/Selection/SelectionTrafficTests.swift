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
        /// Alternating rounds per side (odd, so that the median is a round).
        static let pairs = 5

        @Test(arguments: cases)
        func selectedIsHeldAndUnselectedRunsFree(_ testCase: Case) throws {
            try KernelGate.check()
            let rig = try SelectionRig()
            let family = testCase.ipv6 ? 1 : 0
            let selected = [SelectionRig.selected.ipv4, SelectionRig.selected.ipv6][family]
            let other = testCase.byPort ? selected : [SelectionRig.unselected.ipv4, SelectionRig.unselected.ipv6][family]
            let (selectedPort, otherPort) = testCase.byPort ? (443, 5201) : (5201, 5202)
            // Rounds alternate: (A) nothing applied, the selected address's flow paced by iperf3 itself to the
            // same 10 Mbit/s (so that both sides run the same processes and bytes) and the unselected flow beside
            // it; (B) the selection applied, the selected flow shaped by our TBF (whose counters are read around
            // the unselected flow) and the unselected flow beside it. The two cores are shared (builds, fuzzers),
            // so a veth pair's speed follows whatever else runs: a fixed number of alternating pairs is run (never
            // stopped early on a good result) and the median unselected round is compared with the median unshaped
            // round; the wire rate is the median round too (a round in which the TCP flow itself stalls says
            // nothing about the shaper).
            let selection = try SelectionRig.selection(SelectionRig.smallSelection, ports: testCase.byPort ? [443] : [])
            let window = SelectionRig.window(upload: 10_000_000, download: 10_000_000)
            var alone: [Double] = []
            var beside: [Double] = []
            var wires: [Double] = []
            for _ in 0..<Self.pairs {
                let paced = try IperfFlow(rig.namespace, to: selected, port: selectedPort, seconds: 4,
                                          download: testCase.download, bitsPerSecond: 10_000_000)
                Thread.sleep(forTimeInterval: 1.2)
                alone.append(try IperfFlow(rig.namespace, to: other, port: otherPort, seconds: 2,
                                           download: testCase.download).goodput())
                _ = paced.goodput()
                try rig.apply(window, selection: selection)
                let device = testCase.download ? try rig.downloadIFB : try rig.uploadIFB
                let shaped = try IperfFlow(rig.namespace, to: selected, port: selectedPort, seconds: 5,
                                           download: testCase.download)
                Thread.sleep(forTimeInterval: 1.2)
                let (bytes0, time0) = (try rig.tbfBytes(device), Date())
                beside.append(try IperfFlow(rig.namespace, to: other, port: otherPort, seconds: 2,
                                            download: testCase.download).goodput())
                wires.append(Double(try rig.tbfBytes(device) - bytes0) * 8 / Date().timeIntervalSince(time0))
                _ = shaped.goodput()
                try rig.clear()
            }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            let wire = median(wires)
            let (free, unshaped) = (median(beside), median(alone))
            print("selection traffic \(testCase.testDescription): selected \(Int(wire)) bit/s on the wire "
                + "(ratio \(wire / Self.rate), rounds \(wires.map(Int.init))), unselected \(Int(free)) bit/s "
                + "vs unshaped \(Int(unshaped)) (medians, ratio \(free / unshaped); rounds \(beside.map { Int($0 / 1e6) }) vs "
                + "\(alone.map { Int($0 / 1e6) }) Mbit/s)")
            #expect(abs(wire / Self.rate - 1) <= 0.01, "selected flow: \(Int(wire)) bit/s")
            #expect(free >= 0.9 * unshaped, "unselected flow: \(Int(free)) vs \(Int(unshaped)) bit/s")
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
