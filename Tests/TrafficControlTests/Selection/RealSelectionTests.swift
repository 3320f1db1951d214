import Foundation
import Testing
import TestSupport
import ThrottlePolicy
@testable import TrafficControl
import TrafficSelection

/// The real weekly tag files (`../shared/data/service-tags`; a failure under CI=true when missing).
enum RealTags {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data/service-tags")
    static let available = FileManager.default.fileExists(atPath: folder.path)
    static let backupTags = ["AzureBackup", "Storage", "AzureActiveDirectory"]

    static func selection(_ file: String, _ tags: [String], ports: [Int] = []) throws -> TrafficSelection? {
        let path = folder.appendingPathComponent(file).path
        guard let data = FileManager.default.contents(atPath: path) else {
            if KernelGate.isCI { Issue.record("\(path) is missing: CI lays ../shared beside the project") }
            return nil
        }
        let parsed = try ServiceTagFile.parse(Array(data), path: path)
        return try TrafficSelection.resolve(SelectionRequest(tags: tags.map { Placed($0, at: "test") },
                                                             ports: ports.map { Placed($0, at: "test") }), file: parsed)
    }

    static func verbs(_ operations: [PlannedOperation]) -> [String: Int] {
        operations.reduce(into: [:]) { $0[$1.operation.verb, default: 0] += 1 }
    }
}

@Suite(.enabled(if: RealTags.available || KernelGate.isCI, "needs ../shared/data/service-tags beside the project"))
struct RealSelectionPlanTests {
    static let window = SelectionRig.window(upload: 10_000_000, download: 10_000_000)

    @Test(arguments: [(["AzureCloud"], 3_206), (RealTags.backupTags, 1_298)])
    func freshInstallCounts(tags: [String], merged: Int) throws {
        guard let selection = try RealTags.selection("ServiceTags_Public_20251028.json", tags, ports: [443]) else { return }
        #expect(selection.remote.prefixes.count == merged)
        let kernel = FakeKernel()
        let operations = try SelectionReconcileTests.apply(kernel, selection, window: Self.window)
        let plan = try ShapingPlanner().plan(window: Self.window, interface: kernel.state.interface, selection: selection)
        let trees = try #require(plan.selection?.trees)
        let leaves = trees.reduce(0) { $0 + $1.leafCount }
        let tables = trees.reduce(0) { $0 + $1.tables.count + 1 }
        let links = trees.reduce(0) { $0 + $1.tables.values.reduce(0) { $0 + $1.buckets.values.count { $0.link != nil } } }
        let ports = trees.reduce(0) { $0 + $1.portNodes.count }
        // Every u32 object: tables (with the port table), leaves, links, port nodes and one root node per tree.
        #expect(RealTags.verbs(operations)["add-u32"] == tables + leaves + links + ports + trees.count)
        for family in AddressFamily.allCases {
            let layout = HashLayout(family: family, prefixes: selection.remote.prefixes(of: family))
            print("real \(tags.joined(separator: "+")) \(family): \(layout.leafCount) leaves, \(layout.tables.count) tables, "
                + "largest bucket \(layout.largestBucket), worst path \(layout.worstPath), depth \(layout.depth)")
            #expect(layout.worstPath <= 80, "per-packet work stays bounded")
        }
        print("real \(tags.joined(separator: "+")): \(operations.count) operations \(RealTags.verbs(operations))")
        #expect(try SelectionReconcileTests.reconcile(kernel, selection, window: Self.window).isEmpty)
    }

    @Test func theWeeklyDiffTouchesOnlyChangedLeaves() throws {
        guard let old = try RealTags.selection("ServiceTags_Public_20251013.json", ["AzureCloud"]),
            let new = try RealTags.selection("ServiceTags_Public_20251028.json", ["AzureCloud"])
        else { return }
        let kernel = FakeKernel()
        try SelectionReconcileTests.apply(kernel, old, window: Self.window)
        let diff = try SelectionReconcileTests.reconcile(kernel, new, window: Self.window)
        let fresh = try SelectionReconcileTests.reconcile(FakeKernel(), new, window: Self.window)
        let verbs = RealTags.verbs(diff)
        print("real weekly diff AzureCloud 20251013 → 20251028: \(diff.count) operations \(verbs) (fresh install \(fresh.count))")
        #expect(Set(verbs.keys).isSubset(of: ["add-u32", "delete-u32"]))
        #expect(diff.count * 10 < fresh.count, "a diff, not a reinstall")
        // No qdisc, IFB or filter priority is touched; the tables that change are only those whose bucket
        // gained or lost a child.
        #expect(Applier().apply(diff, with: kernel).succeeded)
        #expect(try SelectionReconcileTests.reconcile(kernel, new, window: Self.window).isEmpty)
    }
}

extension KernelSuites {
    /// All merged AzureCloud prefixes installed in a namespace, then the weekly diff.
    @Suite(.enabled(if: RealTags.available || KernelGate.isCI, "needs ../shared/data/service-tags beside the project"))
    struct RealSelectionKernelTests {
        @Test func azureCloudInstallsAndTheWeeklyDiffChangesOnlyLeaves() throws {
            try KernelGate.check()
            guard let old = try RealTags.selection("ServiceTags_Public_20251013.json", ["AzureCloud"]),
                let new = try RealTags.selection("ServiceTags_Public_20251028.json", ["AzureCloud"])
            else { return }
            let rig = try SelectionRig()
            let window = RealSelectionPlanTests.window
            let clock = ContinuousClock()
            var first: ApplyOutcome?
            let install = try clock.measure { first = try rig.apply(window, selection: old) }
            #expect(first?.succeeded == true)
            let diff = try rig.reconcile(window, selection: new)
            #expect(Set(RealTags.verbs(diff).keys).isSubset(of: ["add-u32", "delete-u32"]))
            let weekly = clock.measure { #expect(Applier().apply(diff, with: LibnlWriter(kernel: rig.kernel)).succeeded) }
            var again: [PlannedOperation] = []
            let unchanged = try clock.measure { again = try rig.reconcile(window, selection: new) }
            #expect(again.isEmpty, "\(again.prefix(5).map(\.operation.commandLine))")
            print("real kernel AzureCloud: install \(first?.performed.count ?? 0) operations in \(install), "
                + "weekly diff \(diff.count) operations in \(weekly), no-change reconcile in \(unchanged)")
            // Packets still classify: selected and unselected addresses of the new file.
            try rig.ping(SelectionRig.unselected.ipv4, count: 2)
            try rig.clear()
            #expect(try rig.observe().ingress == nil)
        }
    }
}
