import Foundation
import Testing
import TestSupport
import TokenBucket
import TrafficControl

extension KernelSuites {
    /// `--bucket-sizing fastest-window` on a schedule whose rates differ 200× (512 Kibit/s ↔ 100 Mbit/s): the
    /// switch from the fast window to the slow one is an in-place change of the same TBF, and under load the
    /// qdisc drops nothing because of it.
    @Suite struct FastestWindowSwitchTests {
        static let policy = ["--work-days", "mon-sun", "--start-work-hour", "00:00", "--end-work-hour", "12:00",
                             "--work-hour-bandwidth", "512kibit", "--non-work-hour-bandwidth", "100mbit",
                             "--time-zone", "UTC", "--bucket-sizing", "fastest-window"]
        static let slowInstant = ["--at", "2026-11-24T06:00:00Z"]
        static let fastInstant = ["--at", "2026-11-24T18:00:00Z"]

        /// `apply --json` in the namespace; the verbs of the operations it made.
        static func apply(_ namespace: ScratchNamespace, state: String, _ arguments: [String]) throws -> [String] {
            let result = try BinaryRunner.run(
                ["apply", "--interface", "v0", "--state-dir", state, "--run-dir", state + "/run", "--json"]
                    + arguments,
                prefix: ["ip", "netns", "exec", namespace.name])
            try #require(result.status == 0, "apply failed: \(result.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let operations = try #require(object["operations"] as? [[String: Any]])
            return operations.compactMap { $0["verb"] as? String }
        }

        static func root(_ kernel: KernelConnection) throws -> KernelQdisc {
            let v0 = try kernel.interface(named: "v0")
            return try #require(try kernel.qdiscs(interfaceIndex: v0.index)
                .first { $0.parent == .root && Ownership.owns($0.handle) })
        }

        @Test func theSwitchToTheSlowWindowIsInPlaceAndDropsNothing() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let kernel = try KernelConnection(namespace: namespace.name)
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("thr-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: state) }
            _ = try Self.apply(namespace, state: state, Self.policy + Self.fastInstant)
            let fast = try Self.root(kernel)
            let started = Date()
            let flow = try TrafficTests.startIperf(namespace, .init(megabits: 100, direction: .upload, ipv6: false),
                                                   seconds: 7)
            defer { withExtendedLifetime(flow) {} }
            Thread.sleep(until: started.addingTimeInterval(3))
            let before = try Self.root(kernel).statistics
            let verbs = try Self.apply(namespace, state: state, Self.policy + Self.slowInstant)
            let switched = Date()
            let at = try Self.root(kernel)
            Thread.sleep(until: switched.addingTimeInterval(1))
            let after = try Self.root(kernel)
            print("fastest-window switch 100 Mbit/s → 512 Kibit/s: operations \(verbs); handle \(fast.handle) → "
                + "\(after.handle); drops \(before.drops) before, \(at.statistics.drops) at, \(after.statistics.drops) "
                + "1 s after; backlog \(before.backlogBytes) B before, \(after.statistics.backlogBytes) B after")
            // Upload on v0 and download on its IFB: each an in-place change, never a graft (replace-qdisc).
            #expect(verbs == ["change-qdisc", "change-qdisc"], "the switch must change both TBFs in place: \(verbs)")
            #expect(after.handle == fast.handle)
            if case .tbf(let setting) = after.options, case .tbf(let old) = fast.options {
                #expect(setting.rate == 512 * 1024 / 8)
                #expect(setting.limit == old.limit)
            } else {
                Issue.record("the root is not a TBF: \(after.kind)")
            }
            // The queue and its counters live on: the packets queued under the fast rate are not discarded.
            #expect(after.statistics.packets >= before.packets)
            #expect(at.statistics.drops == before.drops, "the switch itself dropped packets")
            #expect(after.statistics.drops == at.statistics.drops, "the qdisc dropped packets in the second after it")
        }
    }
}
