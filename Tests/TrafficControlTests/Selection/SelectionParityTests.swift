import Foundation
import Testing
import TestSupport
import ThrottlePolicy
import TrafficControl
import TrafficSelection

extension KernelSuites {
    /// The kernel state after our apply equals the state after `tc -batch` of the rendered file.
    @Suite struct SelectionParityTests {
        /// What tc shows of v0's clsact hooks and of the IFBs' qdiscs, without the ids the kernel picks itself.
        static func dump(_ rig: SelectionRig) throws -> String {
            var parts: [String] = []
            parts.append(try rig.namespace.tc(["-d", "qdisc", "show", "dev", "v0"]).output)
            for hook in ["egress", "ingress"] {
                parts.append(try rig.namespace.tc(["-d", "filter", "show", "dev", "v0", hook]).output)
            }
            for ifb in [try rig.uploadIFB, try rig.downloadIFB] {
                parts.append(try rig.namespace.tc(["-d", "qdisc", "show", "dev", ifb]).output)
            }
            return parts.joined(separator: "\n")
                .replacingOccurrences(of: #"fh 8[0-9a-f]{2}:"#, with: "fh ROOT:", options: .regularExpression)
                .replacingOccurrences(of: #"ht 8[0-9a-f]{2}"#, with: "ht ROOT", options: .regularExpression)
                .replacingOccurrences(of: #"index [0-9]+ ref"#, with: "index N ref", options: .regularExpression)
        }

        @Test(arguments: [[], [443, 8443]])
        func applyMatchesTcBatch(ports: [Int]) throws {
            try KernelGate.check()
            let selection = try SelectionRig.selection(SelectionRig.hashedSelection, ports: ports)
            let window = SelectionRig.window(upload: 10_000_000, download: 20_000_000)
            let ours = try SelectionRig()
            try ours.apply(window, selection: selection)
            let theirs = try SelectionRig()
            let operations = try theirs.reconcile(window, selection: selection).map(\.operation)
            for command in TcBatch.deviceCommands(operations) {
                try theirs.namespace.exec(command.split(separator: " ").map(String.init)
                    .map { $0.hasPrefix("'") ? String($0.dropFirst().dropLast()) : $0 })
            }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("thr-\(UUID().uuidString).tc")
            defer { try? FileManager.default.removeItem(at: file) }
            try TcBatch.render(operations).write(to: file, atomically: true, encoding: .utf8)
            try theirs.namespace.tc(["-batch", file.path])
            let (mine, tcs) = (try Self.dump(ours), try Self.dump(theirs))
            #expect(mine == tcs)
            #expect(mine.contains("hash table") || mine.contains("divisor 256"), "the dump shows u32 hash tables")
            #expect(try theirs.reconcile(window, selection: selection).isEmpty, "our reconciler reads tc's state as equal")
            try ours.clear()
            try theirs.clear()
        }
    }
}
