import Testing
import ThrottlePolicy
@testable import TrafficControl
import TrafficSelection

/// Plans and reconciliations of selections against a made-up kernel (no root needed).
@Suite struct SelectionReconcileTests {
    static let window = SelectionRig.window(upload: 10_000_000, download: 10_000_000)

    static func reconcile(_ kernel: FakeKernel, _ selection: TrafficSelection?, window: Window = window) throws
        -> [PlannedOperation]
    {
        let plan = try ShapingPlanner().plan(window: window, interface: kernel.state.interface, selection: selection)
        return try Reconciler().reconcile(plan: plan, observed: kernel.state, recordedRoot: nil, force: false).operations
    }

    @discardableResult
    static func apply(_ kernel: FakeKernel, _ selection: TrafficSelection?, window: Window = window) throws
        -> [PlannedOperation]
    {
        let operations = try reconcile(kernel, selection, window: window)
        let outcome = Applier().apply(operations, with: kernel)
        #expect(outcome.succeeded)
        return operations
    }

    @Test func theInterfaceRootIsNeverTouchedAndReapplyingWritesNothing() throws {
        let kernel = FakeKernel()
        let selection = try SelectionRig.selection(SelectionRig.hashedSelection, ports: [443])
        let operations = try Self.apply(kernel, selection)
        #expect(!operations.contains { op in
            if case .addQdisc(let spec) = op.operation { return spec.device == "v0" && spec.parent == .root }
            return false
        })
        #expect(operations.filter { $0.operation.verb == "create-ifb" }.count == 2)
        #expect(kernel.state.qdiscs.map(\.kind) == ["clsact"])
        #expect(try Self.reconcile(kernel, selection).isEmpty)
    }

    @Test(arguments: [[], [443]])
    func addingOnePrefixAddsExactlyItsLeaves(ports: [Int]) throws {
        let kernel = FakeKernel()
        try Self.apply(kernel, try SelectionRig.selection(SelectionRig.hashedSelection, ports: ports))
        let more = try SelectionRig.selection(SelectionRig.hashedSelection + ["198.19.201.0/24"], ports: ports)
        let operations = try Self.reconcile(kernel, more)
        // One leaf on each hook (the /24 fixes the hashed byte: one bucket), nothing else.
        #expect(operations.map(\.operation.verb) == ["add-u32", "add-u32"], "\(operations.map(\.operation.commandLine))")
        try Self.apply(kernel, more)
        let fewer = try Self.reconcile(kernel, try SelectionRig.selection(SelectionRig.hashedSelection, ports: ports))
        #expect(fewer.map(\.operation.verb) == ["delete-u32", "delete-u32"])
    }

    @Test func aRateChangeTouchesOnlyTheTBFs() throws {
        let kernel = FakeKernel()
        let selection = try SelectionRig.selection(SelectionRig.hashedSelection)
        try Self.apply(kernel, selection)
        let operations = try Self.reconcile(kernel, selection,
                                            window: SelectionRig.window(upload: 20_000_000, download: 20_000_000))
        #expect(operations.map(\.operation.verb) == ["change-qdisc", "change-qdisc"])
    }

    @Test func switchingLayoutsAndClearingLeaveNothingOfOurs() throws {
        let kernel = FakeKernel()
        let selection = try SelectionRig.selection(SelectionRig.smallSelection, ports: [443])
        try Self.apply(kernel, nil)  // whole interface: root TBF, ingress qdisc, redirect filters
        #expect(kernel.state.ingress?.kind == "ingress")
        try Self.apply(kernel, selection)
        #expect(kernel.state.ingress?.kind == "clsact" && kernel.state.root == nil)
        #expect(kernel.state.ownFilters.isEmpty && kernel.state.uploadIFB != nil)
        try Self.apply(kernel, nil)
        #expect(kernel.state.root?.handle.major == 0x7470 && kernel.state.uploadIFB == nil)
        #expect(kernel.state.selectionFilters(on: .egress).isEmpty && kernel.state.selectionFilters(on: .ingress).isEmpty)
        try Self.apply(kernel, selection)
        let cleared = try Reconciler().reconcile(plan: nil, observed: kernel.state, recordedRoot: nil, force: false)
        #expect(Applier().apply(cleared.operations, with: kernel).succeeded)
        #expect(kernel.state.qdiscs.isEmpty && kernel.state.ifb == nil && kernel.state.uploadIFB == nil)
    }

    @Test func theTcBatchNamesTheIFBsAndRendersTheTables() throws {
        let kernel = FakeKernel()
        let selection = try SelectionRig.selection(SelectionRig.hashedSelection, ports: [443])
        let text = TcBatch.render(try Self.reconcile(kernel, selection))
        #expect(text.contains("# IFB devices to create first: ifb-u2 ifb-t2"))
        #expect(text.contains("qdisc add dev v0 clsact"))
        #expect(text.contains("u32 divisor 256"))
        #expect(text.contains("hashkey mask 0x0000ff00 at 16"))
        #expect(text.contains("offset at 0 mask 0x0f00 shift 6"))
        #expect(text.contains("match u32 0x000001bb 0x0000ffff at nexthdr+0"))
        #expect(text.contains("action mirred egress redirect dev ifb-u2"))
        #expect(quoted("we'ird name") == #"'we'\''ird name'"#)
    }
}
