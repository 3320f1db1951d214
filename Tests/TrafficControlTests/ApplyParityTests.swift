import Foundation
import Testing
import TestSupport
import ThrottlePolicy
import TokenBucket
import TrafficControl

extension KernelSuites {
    /// For each parameter combination, the kernel state after throttlectl applies it (through libnl) must equal
    /// the kernel state after `tc` installs the same human parameters.
    @Suite struct ApplyParityTests {
        static let rates: [UInt64] = [
            8000, 56_000, 1_000_000, 1_234_567, 10_000_000, 100_000_000, 999_999_999, 1_000_000_000, 5_000_000_000,
            10_000_000_000, 40_000_000_000,
        ]

        /// What the kernel reports for the root qdisc of v0 (no counters).
        static func rootOptions(_ kernel: KernelConnection, _ index: Int32) throws -> TBFKernelOptions? {
            let root = try kernel.qdiscs(interfaceIndex: index).first { $0.parent == .root }
            guard case .tbf(let options)? = root?.options else { return nil }
            return options
        }

        @Test func applyMatchesTc() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let kernel = try KernelConnection(namespace: namespace.name)
            let interface = try kernel.interface(named: "v0")
            let writer = LibnlWriter(kernel: kernel)
            let window = Window(allowance: Allowance(kind: .workHours, bandwidth: .unlimited), start: nil, end: nil)
            var requests: [(TBFRequest, ShapingMode)] = []
            for rate in Self.rates {
                for burst: UInt64 in [1600, 15_000, 32_768, 100_000, 1_048_576] {
                    for bound: TBFRequest.QueueBound in [.latency(microseconds: 1000), .latency(microseconds: 50_000),
                                                         .limit(bytes: 200_000), .limit(bytes: 3_000_000)] {
                        requests.append((TBFRequest(bitsPerSecond: rate, burst: burst, queueBound: bound), .tc))
                    }
                }
                requests.append((TBFRequest(bitsPerSecond: rate, mtu: 1500), .safe))
                requests.append((TBFRequest(bitsPerSecond: rate, mtu: 9000), .safe))
            }
            var compared = 0
            var rejected = 0
            for (request, mode) in requests {
                let planner = ShapingPlanner(mode: mode)
                let direction: DirectionPlan
                do {
                    direction = try planner.direction(device: "v0", bits: request.bitsPerSecond, mtu: 1500, request: request)
                } catch {
                    rejected += 1  // counted, and the total is pinned below
                    continue
                }
                var plan = try planner.plan(window: window, interface: interface)
                plan.upload = direction
                plan.download = nil

                // throttlectl, through libnl
                let observed = try ObservedState.read(interfaceName: "v0", from: kernel)
                let reconciliation = try Reconciler().reconcile(plan: plan, observed: observed, recordedRoot: nil,
                                                                 force: false)
                let outcome = Applier().apply(reconciliation.operations, with: writer)
                try #require(outcome.succeeded, "\(request): \(String(describing: outcome.failure))")
                let ours = try #require(try Self.rootOptions(kernel, interface.index))

                // tc, with the same human parameters
                try namespace.tc(["qdisc", "del", "dev", "v0", "root"])
                let command = TcCommandLine.tbf(direction.tbf, device: "v0").split(separator: " ").dropFirst()
                try namespace.tc(command.map(String.init).map { $0 == "replace" ? "add" : $0 })
                let theirs = try #require(try Self.rootOptions(kernel, interface.index))
                try namespace.tc(["qdisc", "del", "dev", "v0", "root"])

                #expect(ours == theirs, "\(mode) \(request)")
                #expect(ours.rate == direction.tbf.rate.bytesPerSecond && ours.limit == direction.tbf.limit)
                #expect(ours.bufferTicks == direction.tbf.kernelBufferTicks)
                compared += 1
            }
            #expect(compared == 238 && rejected == 4, "compared \(compared), rejected \(rejected)")
        }
    }
}
