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
