import Foundation
import Testing
import TestSupport
import TrafficControl

extension KernelSuites {
    /// `--force` over someone else's root: refused for classful trees, recorded and put back for classless
    /// roots, and the record lives until `clear`, so cron runs over unlimited windows converge.
    @Suite struct ForeignRootTests {
        typealias Rig = ApplyCommandTests.Rig
        static let workHours = ApplyCommandTests.workHours
        static let evening = ApplyCommandTests.evening
        /// Work hours limited, the rest unlimited: the evening window restores a recorded root.
        static let unlimitedEvenings = """
            time-zone: Europe/Berlin
            work-days: [Monday, Tuesday]
            work-hours: {start: "9:00", end: "18:00"}
            work-hour-bandwidth: 1mbit
            non-work-hour-bandwidth: unlimited

            """

        static let classless: [[String]] = [
            ["pfifo", "limit", "123"], ["bfifo", "limit", "30000"], ["pfifo_head_drop", "limit", "50"], ["pfifo_fast"],
            ["tbf", "rate", "3mbit", "burst", "10kb", "latency", "40ms"],
        ]

        @Test func theRestorableKindsAreExactlyTheOnesTestedHere() {
            #expect(Ownership.restorableRootKinds == Set(Self.classless.map { $0[0] }))
        }

        @Test(arguments: classless)
        func aClasslessRootIsRecordedRestoredAndReplacedAgainWithoutForce(qdisc: [String]) throws {
            try KernelGate.check()
            let rig = try Rig()
            let policy = try TemporaryPolicy(Self.unlimitedEvenings)
            func apply(_ instant: String, _ extra: [String] = []) throws -> BinaryRunner.Result {
                try rig.throttlectl(["apply", "--policy", policy.path, "-i", "v0", "--at", instant] + extra)
            }
            try rig.namespace.tc(["qdisc", "add", "dev", "v0", "root", "handle", "1:"] + qdisc)
            let before = try rig.namespace.tc(["qdisc", "show", "dev", "v0"]).output
            let record = rig.stateDirectory + "/v0.root.json"

            #expect(try apply(Self.workHours).status == 73)
            let forced = try apply(Self.workHours, ["--force"])
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(try rig.namespace.tc(["qdisc", "show", "dev", "v0"]).output.contains("tbf 7470: root"))
            // Unlimited upload: the recorded root is put back, and the record kept.
            let evening = try apply(Self.evening)
            #expect(evening.status == 0, "\(evening.stderr)")
            #expect(try rig.namespace.tc(["qdisc", "show", "dev", "v0"]).output == before)
            #expect(FileManager.default.fileExists(atPath: record))
            // The next limited window replaces it again without --force, then converges.
            let again = try apply(Self.workHours)
            #expect(again.status == 0, "\(again.stderr)")
            let settled = try apply(Self.workHours, ["--json"])
            let object = try JSONSerialization.jsonObject(with: Data(settled.stdout.utf8)) as? [String: Any]
            #expect(settled.status == 0 && object?["changed"] as? Bool == false, "\(settled.stdout)")
            let cleared = try rig.throttlectl(["clear", "-i", "v0"])
            #expect(cleared.status == 0, "\(cleared.stderr)")
            #expect(try rig.namespace.tc(["qdisc", "show", "dev", "v0"]).output == before)
            #expect(!FileManager.default.fileExists(atPath: record), "clear forgets the record it has used")
        }

        @Test func aClassfulRootIsRefusedEvenWithForce() throws {
            try KernelGate.check()
            let rig = try Rig()
            try rig.namespace.tc(["qdisc", "add", "dev", "v0", "root", "handle", "1:", "htb", "default", "10"])
            try rig.namespace.tc(["class", "add", "dev", "v0", "parent", "1:", "classid", "1:10", "htb", "rate", "1mbit"])
            try rig.namespace.tc(["qdisc", "add", "dev", "v0", "parent", "1:10", "handle", "10:", "pfifo"])
            let before = try rig.namespace.fullDump()
            for extra in [[], ["--force"]] {
                let refused = try rig.apply(at: Self.workHours, extra: extra)
                #expect(refused.status == 73)
                #expect(refused.stderr.contains(
                    "the root qdisc htb 1: has classes/children; throttlectl will not replace a classful tree"),
                        "\(refused.stderr)")
            }
            #expect(try rig.namespace.fullDump() == before)
            #expect(!FileManager.default.fileExists(atPath: rig.stateDirectory + "/v0.root.json"))

            // A classless kind with a child qdisc is a tree too.
            try rig.namespace.tc(["qdisc", "del", "dev", "v0", "root"])
            try rig.namespace.tc(["qdisc", "add", "dev", "v0", "root", "handle", "2:", "tbf", "rate", "1mbit", "burst",
                                  "10kb", "latency", "50ms"])
            try rig.namespace.tc(["qdisc", "add", "dev", "v0", "parent", "2:1", "handle", "20:", "pfifo"])
            let tree = try rig.namespace.fullDump()
            let child = try rig.apply(at: Self.workHours, extra: ["--force"])
            #expect(child.status == 73)
            #expect(child.stderr.contains("has classes/children"), "\(child.stderr)")
            #expect(try rig.namespace.fullDump() == tree)
        }

        @Test func aCorruptRecordChangesNothing() throws {
            try KernelGate.check()
            let rig = try Rig()
            try rig.namespace.tc(["qdisc", "add", "dev", "v0", "root", "handle", "1:", "pfifo", "limit", "9"])
            #expect(try rig.apply(at: Self.workHours, extra: ["--force"]).status == 0)
            let record = rig.stateDirectory + "/v0.root.json"
            try "{\"kind\": \"pfifo\", \"handle\": ".write(toFile: record, atomically: false, encoding: .utf8)
            let before = try rig.namespace.fullDump()
            for arguments in [["clear", "-i", "v0"], ["apply", "--policy", ApplyCommandTests.policy, "-i", "v0", "--at",
                                                      Self.evening]] {
                let result = try rig.throttlectl(arguments)
                #expect(result.status == 65, "\(arguments): \(result.stderr)")
                #expect(result.stderr.contains(record) && result.stderr.contains("nothing was changed"), "\(result.stderr)")
            }
            #expect(try rig.namespace.fullDump() == before)
        }

        @Test func anUntrustedPolicyIsRefusedAsRootUnlessInsecure() throws {
            try KernelGate.check()
            let rig = try Rig()
            let policy = try TemporaryPolicy(Self.unlimitedEvenings)
            chmod(policy.path, 0o666)
            let before = try rig.namespace.fullDump()
            let refused = try rig.throttlectl(["apply", "--policy", policy.path, "-i", "v0", "--at", Self.workHours])
            #expect(refused.status == 77)
            #expect(refused.stderr.contains("refusing the policy \(policy.path)")
                && refused.stderr.contains("writable by group or others"), "\(refused.stderr)")
            #expect(try rig.namespace.fullDump() == before)
            let insecure = try rig.throttlectl(["apply", "--policy", policy.path, "-i", "v0", "--at", Self.workHours,
                                                "--insecure-policy"])
            #expect(insecure.status == 0, "\(insecure.stderr)")
            // Without CAP_NET_ADMIN, clear is refused with 77 as apply is.
            let unprivileged = try rig.throttlectl(["clear", "-i", "v0"], prefix: [
                "setpriv", "--inh-caps=-net_admin", "--ambient-caps=-net_admin", "--bounding-set=-net_admin",
            ])
            #expect(unprivileged.status == 77, "\(unprivileged.stderr)")
        }
    }
}
