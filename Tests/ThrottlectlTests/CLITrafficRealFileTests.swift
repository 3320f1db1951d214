import Foundation
import Testing
import TestSupport

/// `apply --dry-run` with a selection, and the real weekly tag files in `../shared/data/service-tags`
/// (a failure instead of a skip under `CI=true` when the folder is missing).
struct CLITrafficRealFileTests {
    /// The dry run only reads the loopback interface's state (no lock, no write), and prints the selection with
    /// its hash layout before the plan.
    @Test func dryRunShowsTheSelectionAndItsHashLayout() throws {
        let result = try BinaryRunner.run(["apply", "--policy", BinaryRunner.example("backup-only.yaml"), "-i", "lo",
                                           "--dry-run", "--at", "2026-11-24T10:00:00+01:00"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count > 4)
        #expect(lines.dropFirst().prefix(3) == [
            "  traffic: tags AzureBackup, Storage, AzureActiveDirectory from "
                + "\(BinaryRunner.example("ServiceTags_Example.json")) (change 1) and 2 prefixes, 1 excluded; IPv4 9 → 6, "
                + "IPv6 5 → 4 prefixes after merging and exclusions; remote port 443",
            "  u32 IPv4: 0 hash tables, 6 leaves, largest bucket 6, worst path 6 nodes, depth 0",
            "  u32 IPv6: 0 hash tables, 4 leaves, largest bucket 4, worst path 4 nodes, depth 0",
        ])
        let json = try BinaryRunner.run(["apply", "--policy", BinaryRunner.example("backup-only.yaml"), "-i", "lo",
                                         "--dry-run", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let selection = try #require(object["selection"] as? [String: Any])
        #expect((selection["ipv6"] as? [String: Any])?["merged"] as? Int == 4)
    }

    @Test func theMarsPresetOnThePublicFile() throws {
        guard let tags = RealTagFiles.path("ServiceTags_Public_20251028.json") else { return }
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("traffic:\n  service-tags: \(tags)\n  preset: mars", tagFile: nil)
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 0, "\(result.stderr)")
        // 1,304 prefixes, 1,298 after merging (see SOURCE.md).
        #expect(result.stdout.hasSuffix("; traffic: tags AzureBackup, Storage, AzureActiveDirectory from \(tags) "
            + "(change 375); IPv4 1027 → 1021, IPv6 277 → 277 prefixes after merging; remote port 443\n"))
    }

    @Test func azureCloudLaysOutInBoundedHashTables() throws {
        guard let tags = RealTagFiles.path("ServiceTags_Public_20251028.json") else { return }
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("traffic:\n  service-tags: \(tags)\n  tags: [AzureCloud]", tagFile: nil)
        let result = try BinaryRunner.run(["show", "--policy", policy, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let traffic = try #require(object["traffic"] as? [String: Any])
        let ipv4 = try #require(traffic["ipv4"] as? [String: Any])
        let ipv6 = try #require(traffic["ipv6"] as? [String: Any])
        #expect(ipv4["prefixes"] as? Int == 9_585 && ipv6["prefixes"] as? Int == 3_495)
        #expect((ipv4["merged"] as? Int ?? 0) + (ipv6["merged"] as? Int ?? 0) == 3_206)
        for family in [ipv4, ipv6] {
            #expect((family["hashTables"] as? Int ?? 0) > 0)
            #expect((family["largestBucket"] as? Int ?? .max) <= 16)
            #expect((family["worstPath"] as? Int ?? .max) <= 32)
        }
    }

    @Test func regionalTagsAndHintsOnTheRealFile() throws {
        guard let tags = RealTagFiles.path("ServiceTags_Public_20251028.json") else { return }
        let fixture = try TrafficFixture()
        let good = try fixture.policy("traffic:\n  service-tags: \(tags)\n  tags: [Storage.WestEurope]", tagFile: nil)
        #expect(try BinaryRunner.run(["validate", good]).status == 0)
        let bad = try fixture.policy("traffic:\n  service-tags: \(tags)\n  preset: mars\n  tags: [AzureBakup]",
                                     tagFile: nil, name: "bad.yaml")
        let result = try BinaryRunner.run(["validate", bad])
        #expect(result.status == 65)
        #expect(result.stderr == "\(bad):9:10: no service tag AzureBakup in \(tags): did you mean AzureBackup?\n")
    }

    @Test func theGovernmentCloudFileResolvesThePresetToo() throws {
        guard let tags = RealTagFiles.path("ServiceTags_AzureGovernment_20260720.json") else { return }
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("traffic:\n  service-tags: \(tags)\n  preset: mars", tagFile: nil)
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(change 402); IPv4 93 → 93, IPv6 25 → 25 prefixes after merging"))
    }
}
