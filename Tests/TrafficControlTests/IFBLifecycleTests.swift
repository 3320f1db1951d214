import Foundation
import Testing
import TestSupport
import TrafficControl

extension KernelSuites {
    /// The IFB throttlectl makes for an interface: one per interface index, marked with an alias, removable
    /// after the interface is gone, and never shared or replaced over someone else's qdisc.
    @Suite struct IFBLifecycleTests {
        typealias Rig = ApplyCommandTests.Rig
        static let workHours = ApplyCommandTests.workHours
        static let evening = ApplyCommandTests.evening

        @Test func clearRemovesTheOrphanOfADeletedInterface() throws {
            try KernelGate.check()
            let rig = try Rig()
            let ifb = Ownership.ifbName(forIndex: try rig.namespace.index(of: "v0"))
            #expect(try rig.apply(at: Self.workHours).status == 0)
            let alias = try rig.namespace.exec(["cat", "/sys/class/net/\(ifb)/ifalias"]).output
            #expect(alias.hasPrefix("throttlectl:\(try rig.namespace.index(of: "v0")):v0"))
            try rig.namespace.exec(["ip", "link", "del", "v0"])
            let cleared = try rig.throttlectl(["clear", "-i", "v0"])
            #expect(cleared.status == 0, "\(cleared.stderr)")
            #expect(!(try rig.namespace.exec(["ip", "-o", "link", "show"]).output.contains(ifb)))
            #expect(try rig.throttlectl(["clear", "-i", "v0"]).status == 75, "nothing left: no such interface")
        }

        @Test func aRenamedInterfaceKeepsItsIFB() throws {
            try KernelGate.check()
            let rig = try Rig()
            #expect(try rig.apply(at: Self.workHours).status == 0)
            try rig.namespace.exec(["ip", "link", "set", "v0", "down"])
            try rig.namespace.exec(["ip", "link", "set", "v0", "name", "w0"])
            try rig.namespace.exec(["ip", "link", "set", "w0", "up"])
            let old = try rig.throttlectl(["clear", "-i", "v0"])
            #expect(old.status == 75)
            #expect(old.stderr.contains("v0 is now called w0"), "\(old.stderr)")
            let cleared = try rig.throttlectl(["clear", "-i", "w0"])
            #expect(cleared.status == 0, "\(cleared.stderr)")
            let dump = try rig.namespace.fullDump()
            #expect(!dump.contains("ifb-t") && !dump.contains("7470:"), "\(dump)")
        }

        @Test func twoLongNamesNeverShareAnIFB() throws {
            try KernelGate.check()
            let rig = try Rig()
            let names = ["eth-0006929x", "eth-0052854x"]  // once both mapped to ifb-eth--780b6b
            for (number, name) in names.enumerated() {
                try rig.namespace.exec(["ip", "link", "add", name, "type", "veth", "peer", "name", "peer\(number)"])
                try rig.namespace.exec(["ip", "link", "set", name, "up"])
                try rig.namespace.exec(["ip", "link", "set", "peer\(number)", "up"])
            }
            let ifbs = try names.map { Ownership.ifbName(forIndex: try rig.namespace.index(of: $0)) }
            #expect(Set(ifbs).count == 2)
            for name in names {
                let applied = try rig.throttlectl(["apply", "--policy", ApplyCommandTests.policy, "-i", name, "--at",
                                                   Self.workHours])
                #expect(applied.status == 0, "\(applied.stderr)")
            }
            let second = try rig.namespace.tc(["qdisc", "show", "dev", ifbs[1]]).output
            // Changing and clearing the first leaves the second's IFB exactly as it was.
            #expect(try rig.throttlectl(["apply", "--policy", ApplyCommandTests.policy, "-i", names[0], "--at",
                                         Self.evening]).status == 0)
            #expect(try rig.throttlectl(["clear", "-i", names[0]]).status == 0)
            #expect(try rig.namespace.tc(["qdisc", "show", "dev", ifbs[1]]).output == second)
            #expect(!(try rig.namespace.exec(["ip", "-o", "link", "show"]).output.contains(ifbs[0] + ":")))
        }

        @Test func aForeignRootOnTheIFBIsRefusedWithNothingChanged() throws {
            try KernelGate.check()
            let rig = try Rig()
            #expect(try rig.apply(at: Self.workHours).status == 0)
            let ifb = Ownership.ifbName(forIndex: try rig.namespace.index(of: "v0"))
            try rig.namespace.tc(["qdisc", "replace", "dev", ifb, "root", "handle", "1:", "pfifo", "limit", "10"])
            let before = try rig.namespace.fullDump()
            for arguments in [["apply", "--policy", ApplyCommandTests.policy, "-i", "v0", "--at", Self.evening],
                              ["apply", "--policy", ApplyCommandTests.policy, "-i", "v0", "--at", Self.evening,
                               "--force"], ["clear", "-i", "v0"]] {
                let refused = try rig.throttlectl(arguments)
                #expect(refused.status == 73, "\(arguments): \(refused.stderr)")
                #expect(refused.stderr.contains("has a root qdisc that is not throttlectl's"), "\(refused.stderr)")
            }
            #expect(try rig.namespace.fullDump() == before)
        }

        @Test func anIFBMarkedForAnotherInterfaceIsLeftAlone() throws {
            try KernelGate.check()
            let rig = try Rig()
            let ifb = Ownership.ifbName(forIndex: try rig.namespace.index(of: "v0"))
            try rig.namespace.exec(["ip", "link", "add", ifb, "type", "ifb"])
            try rig.namespace.exec(["ip", "link", "set", ifb, "alias", "throttlectl:999:eth9"])
            let before = try rig.namespace.fullDump()
            let refused = try rig.apply(at: Self.workHours)
            #expect(refused.status == 73)
            #expect(refused.stderr.contains("is marked \"throttlectl:999:eth9\""), "\(refused.stderr)")
            #expect(try rig.namespace.fullDump() == before)
        }
    }
}
