import Foundation
import Testing
import TestSupport

extension KernelSuites {
    /// `status` after `apply` of a traffic selection, run as an operator would: what it says is installed, the
    /// counters of the two IFBs' TBFs, and that they move with selected traffic only.
    @Suite struct SelectionStatusTests {
        /// A tag file in documentation ranges: 41 IPv4 /24s (enough to hash) and 2 IPv6 /48s, one tag.
        static let tagFile = """
            {"changeNumber": 7, "cloud": "Public", "values": [
              {"name": "TestBackup", "properties": {"region": "", "addressPrefixes": [
                "198.18.0.0/24", "2001:db8::/48", "2001:db8:7::/48", \
            \((0..<40).map { "\"198.19.\(2 * $0 + 2).0/24\"" }.joined(separator: ", "))]}}
            ]}
            """

        final class Rig {
            let rig: SelectionRig
            let base: String
            var namespace: ScratchNamespace { rig.namespace }

            init(ports: [Int]) throws {
                rig = try SelectionRig()
                base = FileManager.default.temporaryDirectory.appendingPathComponent("thr-\(UUID().uuidString)").path
                try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
                try SelectionStatusTests.tagFile.write(toFile: base + "/tags.json", atomically: true, encoding: .utf8)
                let portLine = ports.isEmpty ? "" : "\n  ports: [\(ports.map(String.init).joined(separator: ", "))]"
                try """
                    throttling: true
                    time-zone: UTC
                    work-days: mon-sun
                    work-hours: {start: "00:00", end: "23:59"}
                    work-hour-bandwidth: 10mbit
                    non-work-hour-bandwidth: 10mbit
                    traffic:
                      service-tags: tags.json
                      tags: [TestBackup]\(portLine)

                    """.write(toFile: policy, atomically: true, encoding: .utf8)
            }

            deinit { try? FileManager.default.removeItem(atPath: base) }

            var policy: String { base + "/policy.yaml" }

            func throttlectl(_ arguments: [String]) throws -> BinaryRunner.Result {
                try BinaryRunner.run(arguments + ["--state-dir", base + "/state"]
                                         + (arguments.first == "status" ? [] : ["--run-dir", base + "/run"]),
                                     prefix: ["ip", "netns", "exec", namespace.name])
            }

            func status(json: Bool = true) throws -> BinaryRunner.Result {
                try throttlectl(["status", "-i", "v0", "--policy", policy] + (json ? ["--json"] : []))
            }

            func statusObject() throws -> [String: Any] {
                let result = try status()
                #expect(result.status == 0, "\(result.stderr)")
                return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                    "stdout: \(result.stdout) stderr: \(result.stderr)")
            }
        }

        static func direction(_ report: [String: Any], _ name: String) throws -> [String: Any] {
            let directions = try #require(report["directions"] as? [[String: Any]])
            return try #require(directions.first { $0["direction"] as? String == name })
        }

        static func counter(_ report: [String: Any], _ name: String, _ key: String) throws -> Int {
            let counters = try #require(try direction(report, name)["counters"] as? [String: Any], "\(name) counters")
            return try #require(counters[key] as? Int)
        }

        @Test(arguments: [[], [443]])
        func statusShowsTheInstalledSelectionAndItsCounters(ports: [Int]) throws {
            try KernelGate.check()
            let rig = try Rig(ports: ports)
            let applied = try rig.throttlectl(["apply", "--policy", rig.policy, "-i", "v0"])
            #expect(applied.status == 0, "\(applied.stderr)")

            let report = try rig.statusObject()
            #expect(report["matches"] as? Bool == true)
            let index = try #require(Int(try rig.namespace.exec(["cat", "/sys/class/net/v0/ifindex"]).output
                .trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(try Self.direction(report, "upload")["device"] as? String == "ifb-u\(index)")
            #expect(try Self.direction(report, "download")["device"] as? String == "ifb-t\(index)")
            #expect(try Self.direction(report, "upload")["bitsPerSecond"] as? Int == 10_000_000)
            let selection = try #require(report["selection"] as? [String: Any])
            for hook in ["upload", "download"] {
                let trees = try #require(selection[hook] as? [String: Any], "\(hook)")
                let ipv4 = try #require(trees["ipv4"] as? [String: Any])
                let ipv6 = try #require(trees["ipv6"] as? [String: Any])
                #expect(ipv4["prefixes"] as? Int == 41, "\(hook): every IPv4 prefix is in the kernel")
                #expect(ipv6["prefixes"] as? Int == 2)
                #expect((ipv4["hashTables"] as? Int ?? 0) >= 1, "41 prefixes are hashed")
                #expect(ipv4["ports"] as? [Int] == ports && ipv6["ports"] as? [Int] == ports)
            }
            let recorded = try #require(selection["applied"] as? [String: Any])
            #expect(recorded["tags"] as? [String] == ["TestBackup"])
            #expect(recorded["changeNumber"] as? String == "7")

            let text = try rig.status(json: false)
            #expect(text.stdout.contains("upload (ifb-u\(index)): 10 Mbit/s"), "\(text.stdout)")
            #expect(text.stdout.contains("selection upload (egress, remote = destination): IPv4 41 prefixes in 41 leaves"),
                    "\(text.stdout)")
            #expect(text.stdout.contains("IPv6 2 prefixes in 2 leaves, 0 hash tables"), "\(text.stdout)")
            #expect(text.stdout.contains(ports.isEmpty ? "; any remote port" : "; remote port 443"), "\(text.stdout)")
            #expect(text.stdout.contains("selection applied from tags TestBackup in "), "\(text.stdout)")
            #expect(text.stdout.contains("kernel matches the policy"), "\(text.stdout)")

            if ports.isEmpty {
                let before = try rig.statusObject()
                // Unselected first: nothing of ours counts it.
                _ = try rig.namespace.exec(["ping", "-c", "3", "-i", "0.2", "-s", "1000", "-q", SelectionRig.unselected.ipv4])
                let unselected = try rig.statusObject()
                for name in ["upload", "download"] {
                    #expect(try Self.counter(unselected, name, "bytes") == Self.counter(before, name, "bytes"))
                }
                _ = try rig.namespace.exec(["ping", "-c", "5", "-i", "0.2", "-s", "1000", "-q", SelectionRig.selected.ipv4])
                let after = try rig.statusObject()
                for name in ["upload", "download"] {
                    #expect(try Self.counter(after, name, "bytes") >= Self.counter(before, name, "bytes") + 5_000, "\(name)")
                    #expect(try Self.counter(after, name, "packets") >= Self.counter(before, name, "packets") + 5, "\(name)")
                    #expect(try Self.counter(after, name, "drops") == 0)
                }
            }

            // Re-applying writes nothing; the second time the kernel is recognised as the converged state recorded by
            // the first. Then someone deletes a leaf: status sees it, and apply (converged record or not) repairs it.
            for _ in 0..<2 {
                let again = try rig.throttlectl(["apply", "--policy", rig.policy, "-i", "v0", "--json"])
                #expect((try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])?["changed"]
                    as? Bool == false, "\(again.stdout)")
            }
            #expect(FileManager.default.fileExists(atPath: rig.base + "/state/v0.converged"))
            let filters = try rig.namespace.tc(["filter", "show", "dev", "v0", "egress", "protocol", "ipv6"]).output
            // A leaf of the IPv6 entry table (ours: 202; 201 is the port table), not its link (node fff).
            let handle = try #require(filters.split(separator: "\n").compactMap { line -> String? in
                guard line.contains("key ht 20"), !line.contains("key ht 201 "), let range = line.range(of: "fh ")
                else { return nil }
                return String(line[range.upperBound...].prefix { $0 != " " })
            }.first { !$0.hasSuffix("fff") }, "\(filters)")
            try rig.namespace.tc(["filter", "del", "dev", "v0", "egress", "protocol", "ipv6", "prio", "29811", "handle",
                                  handle, "u32"])
            let damaged = try rig.statusObject()
            #expect(damaged["matches"] as? Bool == false)
            let ipv6 = try #require(((damaged["selection"] as? [String: Any])?["upload"] as? [String: Any])?["ipv6"]
                as? [String: Any])
            #expect(ipv6["prefixes"] as? Int == 1, "the deleted leaf is missing from status")
            // Status says what is wrong: the change apply would make, the missing leaf's filter.
            let pending = try #require(damaged["pending"] as? [[String: Any]], "\(damaged)")
            #expect(pending.count == 1 && (pending.first?["verb"] as? String) == "add-u32", "\(pending)")
            let damagedText = try rig.status(json: false).stdout
            #expect(damagedText.contains("kernel does NOT match the policy: run apply\napply would make 1 change:\n  tc filter add dev v0 egress "),
                    "\(damagedText)")
            let repaired = try rig.throttlectl(["apply", "--policy", rig.policy, "-i", "v0", "--json"])
            #expect(repaired.status == 0, "\(repaired.stderr)")
            let repair = try JSONSerialization.jsonObject(with: Data(repaired.stdout.utf8)) as? [String: Any]
            #expect(repair?["changed"] as? Bool == true, "a re-apply repairs what someone changed: \(repaired.stdout)")
            #expect(try rig.statusObject()["matches"] as? Bool == true)

            let cleared = try rig.throttlectl(["clear", "-i", "v0"])
            #expect(cleared.status == 0, "\(cleared.stderr)")
            let after = try rig.status(json: false)
            #expect(after.stdout.contains("upload (v0): not shaped by throttlectl"), "\(after.stdout)")
            #expect(!after.stdout.contains("selection applied from"), "clear forgets the recorded selection")
            #expect(after.stdout.contains("selection: no selection filters installed"), "\(after.stdout)")
        }
    }
}
