import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

extension KernelSuites {
    /// `--metrics-file` on `apply` and `run`: Prometheus text that promtool accepts, written atomically, with the
    /// window, rates, TBF counters, applies and errors.
    @Suite struct MetricsFileTests {
        static let policy = BinaryRunner.example("mars-documented.yaml")

        /// `promtool check metrics` on `path`: its status and what it said.
        static func promtool(_ path: String) throws -> (Int32, String) {
            let result = try run(["sh", "-c", "promtool check metrics < '\(path)'"], allowFailure: true)
            return (result.status, result.output)
        }

        static func value(_ text: String, _ sample: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(sample + " ") }
                .flatMap { Double($0.split(separator: " ").last ?? "") }
        }

        @Test func applyWritesMetricsThatPromtoolAcceptsAndKeepsCounting() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let folder = try PolicyFile("")
            let metrics = folder.folder + "/throttlectl.prom"
            func apply(_ instant: String) throws -> BinaryRunner.Result {
                try BinaryRunner.run(["apply", "--policy", Self.policy, "-i", "v0", "--at", instant, "--metrics-file", metrics,
                                      "--state-dir", folder.folder + "/state", "--run-dir", folder.folder + "/run"],
                                     prefix: ["ip", "netns", "exec", namespace.name])
            }
            #expect(try apply("2026-11-24T10:00:00+01:00").status == 0)
            let first = try String(contentsOfFile: metrics, encoding: .utf8)
            let (status, output) = try Self.promtool(metrics)
            #expect(status == 0, "promtool: \(output)\n\(first)")
            #expect(first.contains("# TYPE throttlectl_qdisc_bytes_total counter"))
            #expect(Self.value(first, #"throttlectl_applies_total{interface="v0"}"#) == 1)
            #expect(Self.value(first, #"throttlectl_window{interface="v0",kind="work-hours"}"#) == 1)
            #expect(Self.value(first, #"throttlectl_configured_rate_bytes_per_second{interface="v0",direction="upload"}"#)
                == 65_536)
            #expect(Self.value(first, #"throttlectl_qdisc_packets_total{interface="v0",direction="upload"}"#) != nil)
            // The same window again changes nothing: applies stays 1; another window counts a second apply.
            #expect(try apply("2026-11-24T10:05:00+01:00").status == 0)
            #expect(Self.value(try String(contentsOfFile: metrics, encoding: .utf8),
                               #"throttlectl_applies_total{interface="v0"}"#) == 1)
            #expect(try apply("2026-11-24T20:00:00+01:00").status == 0)
            let third = try String(contentsOfFile: metrics, encoding: .utf8)
            #expect(Self.value(third, #"throttlectl_applies_total{interface="v0"}"#) == 2)
            #expect(Self.value(third, #"throttlectl_window{interface="v0",kind="non-work-hours"}"#) == 1)
            #expect(Self.value(third, #"throttlectl_errors_total{interface="v0"}"#) == 0)
            // Atomic: only the file itself is left in the folder (no temporary beside it), readable by others.
            let entries = try FileManager.default.contentsOfDirectory(atPath: folder.folder).filter { $0.hasSuffix(".tmp") }
            #expect(entries.isEmpty)
            let mode = try FileManager.default.attributesOfItem(atPath: metrics)[.posixPermissions] as? Int
            #expect(mode == 0o644)
        }

        @Test func runWritesMetricsForEveryInterfaceThatPromtoolAccepts() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            try namespace.exec(["ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1"])
            let folder = try PolicyFile("")
            let metrics = folder.folder + "/throttlectl.prom"
            let daemon = try DaemonRun(["--policy", Self.policy, "-i", "v0", "-i", "d0", "-i", "gone0",
                                        "--metrics-file", metrics], namespace: namespace.name)
            #expect(daemon.waitForLog("event=apply", count: 2), "log: \(daemon.log)")
            #expect(waitUntil(timeout: 5) { FileManager.default.fileExists(atPath: metrics) } != nil)
            let text = try String(contentsOfFile: metrics, encoding: .utf8)
            let (status, output) = try Self.promtool(metrics)
            #expect(status == 0, "promtool: \(output)\n\(text)")
            for interface in ["v0", "d0"] {
                #expect(Self.value(text, "throttlectl_interface_present{interface=\"\(interface)\"}") == 1)
                #expect(Self.value(text, "throttlectl_applies_total{interface=\"\(interface)\"}") == 1)
                let rate = Self.value(text, "throttlectl_configured_rate_bytes_per_second{interface=\"\(interface)\","
                    + "direction=\"download\"}")
                #expect(rate == 65_536 || rate == 262_144, "\(text)")
                #expect(Self.value(text, "throttlectl_qdisc_drops_total{interface=\"\(interface)\",direction=\"upload\"}")
                    == 0)
            }
            #expect(Self.value(text, #"throttlectl_interface_present{interface="gone0"}"#) == 0)
            let next = try #require(Self.value(text, #"throttlectl_next_transition_seconds{interface="v0"}"#))
            #expect(next > 0 && next <= 8 * 86_400)
            // d0 deleted: it is absent, and its qdiscs' counters (gone with it) are no longer written.
            try namespace.exec(["ip", "link", "del", "d0"])
            #expect(daemon.waitForLog("event=interface-missing"), "log: \(daemon.log)")
            let gone = waitUntil(timeout: 5) {
                let text = (try? String(contentsOfFile: metrics, encoding: .utf8)) ?? ""
                return Self.value(text, #"throttlectl_interface_present{interface="d0"}"#) == 0
            }
            #expect(gone != nil, "d0 still present in the metrics")
            let afterDeletion = try String(contentsOfFile: metrics, encoding: .utf8)
            #expect(!afterDeletion.contains(#"throttlectl_qdisc_bytes_total{interface="d0""#), "\(afterDeletion)")
            #expect(afterDeletion.contains(#"throttlectl_qdisc_bytes_total{interface="v0""#))
            #expect(Self.value(afterDeletion, #"throttlectl_interface_present{interface="v0"}"#) == 1)
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0)
        }
    }
}
