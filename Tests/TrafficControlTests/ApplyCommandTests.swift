import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

extension KernelSuites {
    /// `throttlectl apply | status | clear` run as an operator (or cron) would, inside a scratch namespace.
    @Suite struct ApplyCommandTests {
        static let policy = BinaryRunner.example("mars-documented.yaml")
        static let workHours = "2026-11-24T10:00:00+01:00"
        static let evening = "2026-11-24T20:00:00+01:00"

        final class Rig {
            let namespace: ScratchNamespace
            let base: String
            let stateDirectory: String
            let runDirectory: String

            init() throws {
                namespace = try ScratchNamespace()
                base = FileManager.default.temporaryDirectory.appendingPathComponent("thr-\(UUID().uuidString)").path
                stateDirectory = base + "/state"
                runDirectory = base + "/run"
            }

            deinit { try? FileManager.default.removeItem(atPath: base) }

            func throttlectl(_ arguments: [String], prefix: [String] = []) throws -> BinaryRunner.Result {
                var arguments = arguments
                if ["apply", "clear"].contains(arguments.first ?? "") {
                    arguments += ["--state-dir", stateDirectory, "--run-dir", runDirectory]
                }
                return try BinaryRunner.run(arguments, prefix: prefix + ["ip", "netns", "exec", namespace.name])
            }

            func apply(at instant: String, extra: [String] = [], prefix: [String] = []) throws -> BinaryRunner.Result {
                try throttlectl(["apply", "--policy", ApplyCommandTests.policy, "--interface", "v0", "--at", instant,
                                 "--json"] + extra, prefix: prefix)
            }

            /// What tc and ip report for the interface (no counters), to prove that nothing changed.
            func dump() throws -> String {
                let parts = [
                    try namespace.tc(["qdisc", "show", "dev", "v0"]).output,
                    try namespace.tc(["class", "show", "dev", "v0"]).output,
                    try namespace.tc(["filter", "show", "dev", "v0", "ingress"], allowFailure: true).output,
                    try namespace.exec(["ip", "-o", "link", "show"]).output,
                ]
                return parts.joined(separator: "\n---\n")
            }

        }

        func object(_ result: BinaryRunner.Result) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                         "stdout: \(result.stdout) stderr: \(result.stderr)")
        }

        @Test func applyIsIdempotentAndTransitionsInPlace() throws {
            try KernelGate.check()
            let rig = try Rig()
            let first = try rig.apply(at: Self.workHours)
            #expect(first.status == 0, "\(first.stderr)")
            let applied = try object(first)
            #expect(applied["changed"] as? Bool == true)
            #expect((applied["operations"] as? [Any])?.count == 8)
            #expect((applied["window"] as? [String: Any])?["bitsPerSecond"] as? Int == 524_288)

            let again = try rig.apply(at: Self.workHours)
            #expect(again.status == 0)
            let unchanged = try object(again)
            #expect(unchanged["changed"] as? Bool == false)
            #expect((unchanged["operations"] as? [Any])?.isEmpty == true)

            let evening = try object(try rig.apply(at: Self.evening))
            let verbs = (evening["operations"] as? [[String: Any]])?.compactMap { $0["verb"] as? String }
            #expect(verbs == ["change-qdisc", "change-qdisc"])

            let status = try rig.throttlectl(["status", "--interface", "v0", "--policy", Self.policy, "--at", Self.evening,
                                              "--json"])
            let report = try object(status)
            #expect(report["matches"] as? Bool == true)
            #expect((report["directions"] as? [[String: Any]])?.compactMap { $0["bitsPerSecond"] as? Int }
                == [2_097_152, 2_097_152])
            // The queue's true worst case: 27,252 B (a two-frame burst of 3028 + sixteen frames of 1514, more
            // than 50 ms of 13,107 B + the burst) at 262,144 B/s.
            for direction in report["directions"] as? [[String: Any]] ?? [] {
                #expect(direction["limitBytes"] as? Int == 27_252)
                let worst = try #require(direction["worstCaseQueueMicroseconds"] as? Double)
                #expect(abs(worst - 1_000_000 * 27_252 / 262_144) < 1)
            }
            let stale = try object(try rig.throttlectl(["status", "-i", "v0", "--policy", Self.policy, "--at",
                                                         Self.workHours, "--json"]))
            #expect(stale["matches"] as? Bool == false)
            // What apply would do in work hours: change both TBFs back, nothing else.
            #expect((stale["pending"] as? [[String: Any]])?.compactMap { $0["verb"] as? String }
                == ["change-qdisc", "change-qdisc"], "\(stale)")

            let journal = try String(contentsOfFile: rig.stateDirectory + "/journal.jsonl", encoding: .utf8)
            #expect(journal.split(separator: "\n").count == 2, "one line per change, none for the no-op")

            let cleared = try rig.throttlectl(["clear", "--interface", "v0"])
            #expect(cleared.status == 0, "\(cleared.stderr)")
            let dump = try rig.dump()
            #expect(!dump.contains("7470:") && !dump.contains("ifb-t") && !dump.contains("throttlectl:"))
        }

        @Test func foreignRootNeedsForceAndComesBackOnClear() throws {
            try KernelGate.check()
            let rig = try Rig()
            try rig.namespace.tc(["qdisc", "add", "dev", "v0", "root", "handle", "1:", "pfifo", "limit", "123"])
            let before = try rig.dump()
            let refused = try rig.apply(at: Self.workHours)
            #expect(refused.status == 73)
            #expect(refused.stderr.contains("not throttlectl's (pfifo, handle 1:)"))
            #expect(try rig.dump() == before)
            let forced = try rig.apply(at: Self.workHours, extra: ["--force"])
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(try rig.namespace.tc(["qdisc", "show", "dev", "v0"]).output.contains("tbf 7470: root"))
            #expect(try rig.throttlectl(["clear", "-i", "v0"]).status == 0)
            let restored = try rig.namespace.tc(["qdisc", "show", "dev", "v0"]).output
            #expect(restored.contains("qdisc pfifo 1: root"))
            #expect(restored.contains("limit 123p"))
        }

        @Test func badInputsAndFaultsChangeNothing() throws {
            try KernelGate.check()
            let rig = try Rig()
            _ = try rig.apply(at: Self.workHours)  // something of ours to leave alone
            let before = try rig.dump()

            let missing = try rig.throttlectl(["apply", "--policy", Self.policy, "-i", "nosuch0", "--at", Self.workHours])
            #expect(missing.status == 75)
            #expect(missing.stderr.contains("nosuch0: no such interface"))

            let refused = try rig.throttlectl(["apply", "--policy", BinaryRunner.example("refused-windows-7.yaml"),
                                               "-i", "v0"])
            #expect(refused.status == 69)

            let invalid = try TemporaryPolicy("work-days: [mon]\nwork-hours: {start: \"9:00\", end: \"9:00\"}\n"
                + "work-hour-bandwidth: 1mbit\nnon-work-hour-bandwidth: 2mbit\n")
            let rejected = try rig.throttlectl(["apply", "--policy", invalid.path, "-i", "v0"])
            #expect(rejected.status == 65)
            #expect(rejected.stderr.contains("\(invalid.path):2:"))

            // Without CAP_NET_ADMIN (dropped from every set), apply refuses before touching anything.
            let unprivileged = try rig.apply(at: Self.evening, prefix: [
                "setpriv", "--inh-caps=-net_admin", "--ambient-caps=-net_admin", "--bounding-set=-net_admin",
            ])
            #expect(unprivileged.status == 77, "\(unprivileged.stderr)")
            #expect(unprivileged.stderr.contains("CAP_NET_ADMIN"))

            #expect(try rig.dump() == before)
        }

        @Test func busyLockExits75() throws {
            try KernelGate.check()
            let rig = try Rig()
            try FileManager.default.createDirectory(atPath: rig.runDirectory, withIntermediateDirectories: true)
            let path = rig.runDirectory + "/v0.lock"
            let descriptor = open(path, O_RDWR | O_CREAT, 0o600)
            #expect(descriptor >= 0)
            defer { close(descriptor) }
            #expect(flock(descriptor, LOCK_EX) == 0)
            let busy = try rig.apply(at: Self.workHours, extra: ["--wait", "0.3"])
            #expect(busy.status == 75)
            #expect(busy.stderr.contains("another throttlectl holds"))
            #expect(!(try rig.dump().contains("7470:")))
        }

        @Test func dryRunPrintsTcCommandsAndTouchesNothing() throws {
            try KernelGate.check()
            let rig = try Rig()
            let before = try rig.dump()
            let dry = try rig.throttlectl(["apply", "--policy", Self.policy, "-i", "v0", "--at", Self.workHours,
                                           "--dry-run"])
            #expect(dry.status == 0)
            #expect(dry.stdout.contains("tc qdisc add dev v0 root handle 7470: tbf rate 524288bit burst 3028 limit 27252"))
            #expect(dry.stdout.contains("tc filter add dev v0 parent ffff: protocol ipv6 prio 29809 u32"))
            #expect(try rig.dump() == before)
        }
    }
}

/// A policy file in the temporary folder, removed when released.
final class TemporaryPolicy {
    let path: String
    init(_ text: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("thr-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
