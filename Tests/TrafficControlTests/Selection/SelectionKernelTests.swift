import Foundation
import Testing
import TestSupport
import ThrottlePolicy
import TrafficControl
import TrafficSelection

extension KernelSuites {
    /// A selection applied to a real kernel: structure, classification, zero writes on re-apply, clear.
    @Suite struct SelectionKernelTests {
        @Test(arguments: [[], [443]])
        func selectedPacketsAreRedirectedAndTheRestPass(ports: [Int]) throws {
            try KernelGate.check()
            let rig = try SelectionRig()
            let selection = try SelectionRig.selection(SelectionRig.smallSelection, ports: ports)
            let window = SelectionRig.window(upload: 10_000_000, download: 10_000_000)
            try rig.apply(window, selection: selection)
            let observed = try rig.observe()
            #expect(observed.ingress?.kind == "clsact")
            #expect(observed.root.map(ObservedState.isDefaultRoot) ?? true, "the interface's root is untouched")
            #expect(observed.uploadIFB?.alias == Ownership.uploadIFBAlias(interface: "v0", index: observed.interface.index))
            let again = try rig.reconcile(window, selection: selection)
            #expect(again.isEmpty, "re-applying writes nothing: \(again.map(\.operation.commandLine))")

            let (upload, download) = (try rig.uploadIFB, try rig.downloadIFB)
            let before = (try rig.tbfBytes(upload), try rig.tbfBytes(download))
            try rig.ping(SelectionRig.unselected.ipv4)
            try rig.ping(SelectionRig.unselected.ipv6)
            #expect(try rig.tbfBytes(upload) == before.0, "unselected packets are not shaped")
            #expect(try rig.tbfBytes(download) == before.1)
            if ports.isEmpty {
                for address in [SelectionRig.selected.ipv4, SelectionRig.selected.ipv6] {
                    let sent = (try rig.tbfBytes(upload), try rig.tbfBytes(download))
                    try rig.ping(address)
                    #expect(try rig.tbfBytes(upload) > sent.0 + 4_000, "\(address): upload shaped")
                    #expect(try rig.tbfBytes(download) > sent.1 + 4_000, "\(address): download shaped")
                }
            } else {
                // ICMP is neither TCP nor UDP: not selected by a port selection.
                try rig.ping(SelectionRig.selected.ipv4)
                #expect(try rig.tbfBytes(upload) == before.0)
            }
            try rig.clear()
            let cleared = try rig.observe()
            #expect(cleared.ingress == nil && cleared.uploadIFB == nil && cleared.ifb == nil)
        }
    }
}

extension KernelSuites.SelectionKernelTests {
    /// A prefix that changes the hash layout replaces tables (deleted once the kernel has released them), and
    /// going back leaves no table behind.
    @Test func aLayoutChangeReplacesTablesAndLeavesNoneBehind() throws {
        try KernelGate.check()
        let rig = try SelectionRig()
        let window = SelectionRig.window(upload: 10_000_000, download: 10_000_000)
        let base = try SelectionRig.selection(SelectionRig.hashedSelection)
        // Ten of the forty hashed IPv6 prefixes: few enough for one bucket, so the IPv6 hash table goes.
        let other = try SelectionRig.selection(Array(SelectionRig.hashedSelection.dropLast(30)))
        try rig.apply(window, selection: base)
        let tables = try rig.observe().selectionFilters(on: .egress).count { $0.u32?.divisor != nil }
        let changed = try rig.apply(window, selection: other)
        #expect(changed.performed.contains { $0.verb == "delete-u32" })
        #expect(try rig.reconcile(window, selection: other).isEmpty)
        try rig.apply(window, selection: base)
        #expect(try rig.reconcile(window, selection: base).isEmpty)
        #expect(try rig.observe().selectionFilters(on: .egress).count { $0.u32?.divisor != nil } == tables)
        try rig.clear()
    }

    /// Whole interface → selection → whole interface → clear, on a real kernel; and a foreign clsact filter
    /// stays through all of it.
    @Test(arguments: [false, true])
    func switchingLayouts(foreignClsact: Bool) throws {
        try KernelGate.check()
        let rig = try SelectionRig()
        if foreignClsact {
            try rig.namespace.tc(["qdisc", "add", "dev", "v0", "clsact"])
            for hook in ["ingress", "egress"] {
                try rig.namespace.tc(["filter", "add", "dev", "v0", hook, "protocol", "ip", "prio", "5", "u32", "match",
                                      "ip", "dst", "198.18.7.7/32", "classid", "1:1"])
            }
        }
        let window = SelectionRig.window(upload: 10_000_000, download: 10_000_000)
        let selection = try SelectionRig.selection(SelectionRig.hashedSelection, ports: [443])
        try rig.apply(window, selection: nil)
        try rig.apply(window, selection: selection)
        var observed = try rig.observe()
        #expect(observed.ingress?.kind == "clsact" && observed.root.map(ObservedState.isDefaultRoot) ?? true)
        #expect(observed.ownFilters.isEmpty)
        #expect(try rig.reconcile(window, selection: selection).isEmpty)
        try rig.apply(window, selection: nil)
        observed = try rig.observe()
        #expect(observed.root?.handle.major == 0x7470 && observed.uploadIFB == nil)
        #expect(observed.selectionFilters(on: .egress).isEmpty && observed.selectionFilters(on: .ingress).isEmpty)
        try rig.apply(window, selection: selection)
        try rig.clear()
        observed = try rig.observe()
        #expect(observed.ifb == nil && observed.uploadIFB == nil)
        if foreignClsact {
            #expect(observed.ingress?.kind == "clsact")
            #expect(observed.filters(on: .egress).allSatisfy { $0.priority == 5 } && !observed.egressFilters.isEmpty)
            #expect(observed.filters(on: .ingress).allSatisfy { $0.priority == 5 } && !observed.ingressFilters.isEmpty)
        } else {
            #expect(observed.ingress == nil)
        }
    }
}
