import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

extension KernelSuites {
    /// `run` with a traffic selection and with zone data that changes: the same kernel state `apply` makes,
    /// repaired like the rest, and reloaded on SIGHUP.
    @Suite struct DaemonSelectionTests {
        @Test func aTrafficSelectionIsShapedExactlyAsApplyShapesItAndRepaired() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let policy = BinaryRunner.example("backup-only.yaml")
            let daemon = try DaemonRun(["--policy", policy, "--interface", "v0"], namespace: namespace.name)
            #expect(daemon.waitForLog("event=apply"), "log: \(daemon.log)")
            #expect(daemon.lines(containing: "event=apply").first?.contains("clsact") == true, "log: \(daemon.log)")
            // The in-process apply's own time is in the line (`ms=`), for people and for Benchmarks/apply-speed.sh.
            let took = daemon.lines(containing: "event=apply").first?.split(separator: " ")
                .first { $0.hasPrefix("ms=") }.flatMap { Double($0.dropFirst(3)) }
            #expect(took.map { $0 > 0 && $0 < 5_000 } == true, "log: \(daemon.log)")
            func apply() throws -> BinaryRunner.Result {
                try BinaryRunner.run(["apply", "--policy", policy, "-i", "v0", "--wait", "2",
                                      "--state-dir", daemon.directory + "/state", "--run-dir", daemon.directory + "/run"],
                                     prefix: ["ip", "netns", "exec", namespace.name])
            }
            // `apply` with the same policy finds everything in place: the daemon made exactly apply's state.
            let check = try apply()
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout.contains("already in place"), "\(check.stdout)")

            // Someone deletes the clsact qdisc (and with it every selection filter): put back.
            let removed = Date()
            try namespace.tc(["qdisc", "del", "dev", "v0", "clsact"])
            let back = waitUntil(timeout: 5) {
                (try? namespace.tc(["filter", "show", "dev", "v0", "egress"]).output.contains("u32")) == true
            }
            let delay = try #require(back, "log: \(daemon.log)").timeIntervalSince(removed)
            print("selection filters restored after \(String(format: "%.3f", delay)) s")
            #expect(delay < 1)
            #expect(daemon.waitForLog("event=reapply"), "log: \(daemon.log)")
            usleep(300_000)
            let again = try apply()
            #expect(again.stdout.contains("already in place"), "\(again.stdout)")
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0)
        }

        @Test func sighupReadsNewZoneData() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let zones = try PolicyFile("")
            try FileManager.default.createDirectory(atPath: zones.folder + "/Test", withIntermediateDirectories: true)
            let zone = zones.folder + "/Test/Zone"
            try FileManager.default.copyItem(atPath: "/usr/share/zoneinfo/Etc/UTC", toPath: zone)
            // Work hours are the first half of every local day: whatever the hour now, moving the zone by 12 hours
            // moves the wall clock into the other window.
            let policy = try PolicyFile("""
                time-zone: Test/Zone
                work-days: mon-sun
                work-hours: {start: "00:00", end: "12:00"}
                work-hour-bandwidth: 1mbit
                non-work-hour-bandwidth: 4mbit

                """)
            let daemon = try DaemonRun(["--policy", policy.path, "--interface", "v0"], namespace: namespace.name,
                                       environment: ["TZDIR": zones.folder])
            #expect(daemon.waitForLog("event=apply"), "log: \(daemon.log)")
            let before = try #require(namespace.ourTBFRate("v0"))
            // A tzdata upgrade replaces the file (a new one, so its modification time changes).
            try FileManager.default.removeItem(atPath: zone)
            try FileManager.default.copyItem(atPath: "/usr/share/zoneinfo/Etc/GMT-12", toPath: zone)
            daemon.signal(SIGHUP)
            let expected: UInt64 = before == 125_000 ? 500_000 : 125_000
            #expect(waitUntil(timeout: 5) { namespace.ourTBFRate("v0") == expected } != nil, "log: \(daemon.log)")
            #expect(daemon.waitForLog("event=reload "), "log: \(daemon.log)")
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0)
        }

        @Test func sighupReadsANewServiceTagsFile() throws {
            try KernelGate.check()
            let namespace = try ScratchNamespace()
            let policy = try PolicyFile("""
                time-zone: UTC
                work-days: mon-sun
                work-hours: {start: "00:00", end: "23:59"}
                work-hour-bandwidth: 10mbit
                non-work-hour-bandwidth: 10mbit
                traffic:
                  service-tags: tags.json
                  tags: [Backup]

                """)
            let tags = policy.folder + "/tags.json"
            func writeTags(_ prefix: String) throws {
                try """
                    {"changeNumber": 1, "cloud": "Public", "values": [{"name": "Backup", "id": "Backup", "properties": \
                    {"changeNumber": 1, "region": "", "platform": "Azure", "systemService": "", \
                    "addressPrefixes": ["\(prefix)"], "networkFeatures": []}}]}
                    """.write(toFile: tags, atomically: true, encoding: .utf8)
                chmod(tags, 0o600)
            }
            /// Whether an egress u32 key on the interface matches this destination (hex, as tc prints keys).
            func selects(_ hex: String) -> Bool {
                (try? namespace.tc(["filter", "show", "dev", "v0", "egress"]).output.contains("match \(hex)/ffffff00"))
                    == true
            }
            try writeTags("198.18.5.0/24")
            let daemon = try DaemonRun(["--policy", policy.path, "--interface", "v0"], namespace: namespace.name)
            #expect(daemon.waitForLog("event=apply"), "log: \(daemon.log)")
            #expect(selects("c6120500"), "log: \(daemon.log)")

            // This week's file replaces last week's; nothing changes until the reload.
            try writeTags("198.18.7.0/24")
            usleep(300_000)
            #expect(selects("c6120500") && !selects("c6120700"))
            daemon.signal(SIGHUP)
            #expect(waitUntil(timeout: 5) { selects("c6120700") && !selects("c6120500") } != nil, "log: \(daemon.log)")
            #expect(daemon.waitForLog("event=reload "), "log: \(daemon.log)")

            // A broken file on the next reload is reported with its place and leaves the new selection in force.
            try "{\"values\": [".write(toFile: tags, atomically: true, encoding: .utf8)
            chmod(tags, 0o600)
            daemon.signal(SIGHUP)
            #expect(daemon.waitForLog("tags.json:"), "log: \(daemon.log)")
            usleep(300_000)
            #expect(selects("c6120700"))
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0)
        }
    }
}
