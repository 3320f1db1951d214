import Foundation
import Testing
import TestSupport

extension KernelSuites {
    /// The capabilities contrib/systemd/throttlectl@.service grants are enough: as root with a bounding set
    /// of CAP_NET_ADMIN alone and no new privileges (what the unit's CapabilityBoundingSet and
    /// NoNewPrivileges give), `apply` creates the qdiscs and the IFB for download shaping, and `clear`
    /// removes them.
    @Suite struct UnitCapabilityTests {
        typealias Rig = ApplyCommandTests.Rig

        @Test func onlyNetAdminShapesBothDirectionsWithTheIFB() throws {
            try KernelGate.check()
            let rig = try Rig()
            let unitCapabilities = [
                "ip", "netns", "exec", rig.namespace.name,
                "setpriv", "--no-new-privs", "--bounding-set=-all,+net_admin", "--inh-caps=-all", "--ambient-caps=-all",
            ]
            func throttlectl(_ arguments: [String]) throws -> BinaryRunner.Result {
                try BinaryRunner.run(arguments + ["--state-dir", rig.stateDirectory, "--run-dir", rig.runDirectory],
                                     prefix: unitCapabilities)
            }
            // The prefix really leaves CAP_NET_ADMIN alone (bit 12 of the effective set).
            let status = try run(unitCapabilities + ["grep", "^CapEff", "/proc/self/status"]).output
            #expect(status.hasSuffix("0000000000001000\n"), "\(status)")

            let applied = try throttlectl(["apply", "--policy", ApplyCommandTests.policy, "--interface", "v0",
                                           "--at", ApplyCommandTests.workHours])
            #expect(applied.status == 0, "\(applied.stderr)")
            let links = try rig.namespace.exec(["ip", "-o", "link", "show", "type", "ifb"]).output
            #expect(links.contains("ifb"), "no IFB was created: \(links)")
            #expect(try rig.namespace.tc(["qdisc", "show", "dev", "v0"]).output.contains("tbf"))

            let cleared = try throttlectl(["clear", "--interface", "v0"])
            #expect(cleared.status == 0, "\(cleared.stderr)")
            #expect(try rig.namespace.exec(["ip", "-o", "link", "show", "type", "ifb"]).output.isEmpty)
        }
    }
}
