import Foundation
import Testing
import TestSupport
import ThrottlePolicy
import TokenBucket
import TrafficControl

/// Applies plans to a real kernel in a scratch namespace and reads back what happened.
extension KernelSuites {
@Suite struct ReconcilerKernelTests {
    /// A window allowing `upload`/`download` bits per second (nil: unlimited).
    static func window(upload: UInt64?, download: UInt64?, kind: WindowKind = .workHours) -> Window {
        Window(allowance: Allowance(kind: kind, bandwidth: upload.map { .bitsPerSecond($0) } ?? .unlimited,
                                    download: download.map { .bitsPerSecond($0) } ?? .unlimited),
               start: nil, end: nil)
    }

    struct Rig {
        let namespace: ScratchNamespace
        let kernel: KernelConnection

        init() throws {
            namespace = try ScratchNamespace()
            kernel = try KernelConnection(namespace: namespace.name)
        }

        func observe() throws -> ObservedState { try ObservedState.read(interfaceName: "v0", from: kernel) }

        /// Plans `window`, reconciles against the kernel, applies; returns the operations performed.
        @discardableResult
        func apply(_ window: Window, force: Bool = false, recorded: QdiscSpec? = nil,
                   writer: TrafficControlWriter? = nil) throws -> ApplyOutcome {
            let observed = try observe()
            let plan = try ShapingPlanner().plan(window: window, interface: observed.interface)
            let reconciliation = try Reconciler().reconcile(plan: plan, observed: observed, recordedRoot: recorded,
                                                             force: force)
            return Applier().apply(reconciliation.operations, with: writer ?? LibnlWriter(kernel: kernel))
        }
    }

    @Test func applyThenReapplyWritesNothing() throws {
        try KernelGate.check()
        let rig = try Rig()
        let first = try rig.apply(Self.window(upload: 10_000_000, download: 20_000_000))
        #expect(first.succeeded, "\(String(describing: first.failure))")
        #expect(first.performed.map(\.verb) == [
            "create-ifb", "mark-ifb", "link-up", "add-qdisc", "add-qdisc", "add-filter", "add-filter", "add-qdisc",
        ])
        let observed = try rig.observe()
        #expect(observed.root?.handle == Ownership.rootHandle)
        #expect(observed.ifb?.isUp == true)
        #expect(observed.ownFilters.count == 2)
        guard case .tbf(let upload)? = observed.root?.options else {
            Issue.record("no TBF root on v0")
            return
        }
        #expect(upload.rate == 1_250_000)
        let expected = try TBFParameters(TBFRequest(bitsPerSecond: 10_000_000, mtu: 1500), mode: .safe)
        #expect(upload.limit == expected.limit && upload.bufferTicks == expected.kernelBufferTicks)
        guard case .tbf(let download)? = observed.ifbQdiscs.first(where: { $0.parent == .root })?.options else {
            Issue.record("no TBF root on the IFB")
            return
        }
        #expect(download.rate == 2_500_000)
        let second = try rig.apply(Self.window(upload: 10_000_000, download: 20_000_000))
        #expect(second.succeeded && second.performed.isEmpty, "\(second.performed)")
    }

    @Test func transitionChangesTheRootInPlace() throws {
        try KernelGate.check()
        let rig = try Rig()
        // 2 → 10 Mbit/s: the bucket grows (two frames, 3028 B → 5 ms, 6250 B), so the rate moves in place.
        try rig.apply(Self.window(upload: 2_000_000, download: 10_000_000))
        // Send some packets so the counters move.
        try rig.namespace.exec(["ping", "-c", "3", "-i", "0.01", "-W", "1", "198.18.0.2"])
        let before = try rig.observe()
        let rootBefore = try #require(before.root)
        #expect(rootBefore.statistics.packets > 0)
        let outcome = try rig.apply(Self.window(upload: 10_000_000, download: 10_000_000))
        #expect(outcome.performed.map(\.verb) == ["change-qdisc"])
        let after = try rig.observe()
        let rootAfter = try #require(after.root)
        guard case .tbf(let options) = rootAfter.options else {
            Issue.record("root is \(rootAfter.kind)")
            return
        }
        #expect(options.rate == 1_250_000)
        #expect(rootAfter.statistics.packets >= rootBefore.statistics.packets, "counters were not reset")
        #expect(after.root?.handle == before.root?.handle)
        #expect(after.ifb?.index == before.ifb?.index)
    }

    @Test func aSmallerBucketIsGraftedUnderTheOtherHandle() throws {
        try KernelGate.check()
        let rig = try Rig()
        try rig.apply(Self.window(upload: 100_000_000, download: nil))  // bucket 62500 bytes
        let shrink = try rig.apply(Self.window(upload: 1_000_000, download: nil))  // bucket 3028 bytes
        #expect(shrink.performed.map(\.verb) == ["replace-qdisc"])
        let swapped = try #require(try rig.observe().root)
        #expect(swapped.handle == Ownership.alternateRootHandle)
        guard case .tbf(let options) = swapped.options else {
            Issue.record("root is \(swapped.kind)")
            return
        }
        #expect(options.rate == 125_000)
        #expect(try rig.apply(Self.window(upload: 1_000_000, download: nil)).performed.isEmpty)
        // Growing the bucket again is an in-place change, under whichever handle is there.
        let grow = try rig.apply(Self.window(upload: 50_000_000, download: nil))
        #expect(grow.performed.map(\.verb) == ["change-qdisc"])
        #expect(try rig.observe().root?.handle == Ownership.alternateRootHandle)
        #expect(try rig.apply(Self.window(upload: nil, download: nil)).succeeded)
        #expect(try rig.observe().root.map { ObservedState.isDefaultRoot($0) } ?? true)
    }

    @Test func aForeignDeviceWithTheIFBNameIsNeverTouched() throws {
        try KernelGate.check()
        let rig = try Rig()
        let name = Ownership.ifbName(forIndex: try rig.kernel.interface(named: "v0").index)
        try rig.namespace.exec(["ip", "link", "add", name, "type", "veth", "peer", "name", "vpeer"])
        let observed = try rig.observe()
        #expect(observed.ifb?.kind == "veth")
        for window in [Self.window(upload: 1_000_000, download: 1_000_000), Self.window(upload: nil, download: nil)] {
            let plan = try ShapingPlanner().plan(window: window, interface: observed.interface)
            #expect(throws: ReconcileError.foreignDevice(name: name, kind: "veth")) {
                try Reconciler().reconcile(plan: plan, observed: observed, recordedRoot: nil, force: true)
            }
        }
        #expect(try rig.observe().ifb?.kind == "veth")
    }

    @Test func unlimitedAndClearRemoveOnlyOurs() throws {
        try KernelGate.check()
        let rig = try Rig()
        // A foreign ingress filter and a foreign ingress qdisc that must survive.
        try rig.namespace.tc(["qdisc", "add", "dev", "v0", "ingress"])
        try rig.namespace.tc(["filter", "add", "dev", "v0", "parent", "ffff:", "protocol", "ip", "prio", "5", "u32",
                              "match", "ip", "dport", "22", "0xffff", "classid", "1:1"])
        try rig.apply(Self.window(upload: 5_000_000, download: 5_000_000))
        #expect(try rig.observe().ingressFilters.filter { $0.priority == 5 }.count >= 1)
        let cleared = try rig.apply(Self.window(upload: nil, download: nil))
        #expect(cleared.succeeded)
        let after = try rig.observe()
        #expect(after.ifb == nil)
        #expect(after.root.map { ObservedState.isDefaultRoot($0) } ?? true)
        #expect(after.ownFilters.isEmpty)
        #expect(after.ingress != nil, "the foreign ingress qdisc stays")
        #expect(after.ingressFilters.contains { $0.priority == 5 }, "the foreign filter stays")
    }

    @Test func foreignRootIsRefusedUnlessForcedAndRestored() throws {
        try KernelGate.check()
        let rig = try Rig()
        try rig.namespace.tc(["qdisc", "add", "dev", "v0", "root", "handle", "1:", "pfifo", "limit", "77"])
        let observed = try rig.observe()
        let plan = try ShapingPlanner().plan(window: Self.window(upload: 1_000_000, download: nil),
                                             interface: observed.interface)
        #expect(throws: ReconcileError.self) {
            try Reconciler().reconcile(plan: plan, observed: observed, recordedRoot: nil, force: false)
        }
        let forced = try Reconciler().reconcile(plan: plan, observed: observed, recordedRoot: nil, force: true)
        guard case .write(let recorded) = forced.record else {
            Issue.record("--force over a foreign root must record it, not \(forced.record)")
            return
        }
        #expect(Applier().apply(forced.operations, with: LibnlWriter(kernel: rig.kernel)).succeeded)
        #expect(try rig.observe().root?.handle == Ownership.rootHandle)
        // Unshaping puts the recorded root back, options and all.
        #expect(try rig.apply(Self.window(upload: nil, download: nil), recorded: recorded).succeeded)
        let restored = try #require(try rig.observe().root)
        #expect(restored.handle == TrafficControlHandle(major: 1, minor: 0))
        #expect(restored.kind == "pfifo")
        #expect(restored.options == .fifo(limit: 77))
    }

    /// Fails the `n`th write (1-based), passing everything else to the real writer.
    final class FailingWriter: TrafficControlWriter {
        let inner: TrafficControlWriter
        var remaining: Int
        init(_ inner: TrafficControlWriter, failOn n: Int) {
            self.inner = inner
            remaining = n
        }
        func perform(_ operation: TrafficControlOperation) throws {
            remaining -= 1
            if remaining == 0 { throw InjectedFailure() }
            try inner.perform(operation)
        }
        struct InjectedFailure: Error {}
    }

    @Test(arguments: [1, 3, 5, 7])
    func failedWriteIsRolledBack(failOn: Int) throws {
        try KernelGate.check()
        let rig = try Rig()
        try rig.apply(Self.window(upload: 10_000_000, download: nil))
        let before = try rig.observe()
        let outcome = try rig.apply(Self.window(upload: 3_000_000, download: 4_000_000),
                                    writer: FailingWriter(LibnlWriter(kernel: rig.kernel), failOn: failOn))
        #expect(!outcome.succeeded)
        #expect(outcome.rollbackFailures.isEmpty, "\(outcome.rollbackFailures.map { "\($0.operation): \($0.error)" })")
        let after = try rig.observe()
        #expect(after.ifb == nil)
        #expect(after.ownFilters.isEmpty)
        #expect(after.qdiscs.map { KernelProjection($0) } == before.qdiscs.map { KernelProjection($0) })
    }
}
}

/// A qdisc without its counters, for before/after comparisons.
struct KernelProjection: Hashable {
    let handle: TrafficControlHandle
    let parent: TrafficControlHandle
    let kind: String
    let options: QdiscOptions
    init(_ qdisc: KernelQdisc) {
        handle = qdisc.handle
        parent = qdisc.parent
        kind = qdisc.kind
        options = qdisc.options
    }
}

/// Planning alone, no kernel: each window's bucket and queue are sized for its own rate.
struct ShapingPlannerTests {
    @Test func eachWindowIsSizedForItsOwnRate() throws {
        let interface = NetworkInterface(index: 2, name: "eth0", mtu: 1500, isUp: true)
        let planner = ShapingPlanner()
        let slow = Window(allowance: Allowance(kind: .workHours, bandwidth: .bitsPerSecond(512 * 1024),
                                               download: .bitsPerSecond(2_000_000)), start: nil, end: nil)
        let fast = Window(allowance: Allowance(kind: .nonWorkHours, bandwidth: .bitsPerSecond(100 * 1024 * 1024),
                                               download: .bitsPerSecond(40_000_000)), start: nil, end: nil)
        let slowPlan = try planner.plan(window: slow, interface: interface)
        let fastPlan = try planner.plan(window: fast, interface: interface)
        // Two frames (2 × (1500 + 14)) beat 5 ms at 512 Kibit/s (328 bytes); the queue holds them plus sixteen
        // frames (3028 + 24,224), more than 50 ms (3277 bytes) plus the burst.
        #expect(slowPlan.upload?.tbf.burst == 3028)
        #expect(slowPlan.upload.map { Int($0.tbf.limit) } == 27_252)
        // 5 ms at 100 Mibit/s = 65,536 bytes; 5 ms at 40 Mbit/s = 25,000 bytes.
        #expect(fastPlan.upload?.tbf.burst == 65_536)
        #expect(fastPlan.download?.tbf.burst == 25_000)
        // The slow window's worst case is its own full queue at its own rate: 27,252 B at 65,536 B/s.
        let worst = try #require(slowPlan.upload?.tbf.worstCaseQueueMicroseconds)
        #expect(abs(worst - 1_000_000 * 27_252 / 65_536) < 1)
    }
}
