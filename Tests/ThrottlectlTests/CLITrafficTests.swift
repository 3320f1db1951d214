import Foundation
import Testing
import TestSupport

/// End-to-end: a policy's traffic section and the selection flags, resolved by `validate`, `show` and `apply`.
struct CLITrafficTests {
    static let marsLine = "IPv4 5 → 3, IPv6 2 → 2 prefixes after merging; remote port 443"

    @Test func validateResolvesTheSelectionInOneLine() throws {
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("traffic:\n  service-tags: tags.json\n  preset: mars")
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(policy): valid: throttled Mon 09:00–18:00 at 1 Mbit/s, otherwise 2 Mbit/s (time zone "
            + "Etc/UTC, OS profile linux); traffic: tags AzureBackup, Storage, AzureActiveDirectory from "
            + "\(fixture.path("tags.json")) (change 9); \(Self.marsLine)\n")
        #expect(result.stderr.isEmpty)
    }

    @Test func thePresetCombinesWithTagsPrefixesExclusionsAndPorts() throws {
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("""
            traffic:
              service-tags: tags.json
              preset: mars
              tags: [Storage.WestEurope, AzureBackup]
              prefixes: ["198.18.40.0/24", "2001:db8:40::/48"]
              exclude-prefixes: ["198.18.30.0/25"]
              ports: [8443]
            """)
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 0, "\(result.stderr)")
        // 198.18.30.0/24 − /25 leaves 198.18.30.128/25, which joins 198.18.31.0/24 only as two prefixes.
        #expect(result.stdout.hasSuffix("; traffic: tags AzureBackup, Storage, AzureActiveDirectory, Storage.WestEurope "
            + "from \(fixture.path("tags.json")) (change 9) and 2 prefixes, 1 excluded; IPv4 7 → 5, IPv6 3 → 3 prefixes "
            + "after merging and exclusions; remote ports 443, 8443\n"), "\(result.stdout)")
    }

    @Test func prefixesAloneNeedNoTagFileAndAnyPortIsTheDefault() throws {
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("traffic:\n  prefixes: 198.18.0.0/24, 198.18.1.0/24", tagFile: nil)
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("; traffic: 2 prefixes; IPv4 2 → 1, IPv6 0 → 0 prefixes after merging; "
            + "any remote port\n"))
    }

    @Test(arguments: [
        ("data/tags.json", "data/tags.json", "policy.yaml"),
        ("../tags.json", "tags.json", "etc/policy.yaml"),
        ("tags.json", "etc/tags.json", "etc/policy.yaml"),
    ])
    func relativeTagFilesAreFoundBesideThePolicy(_ written: String, _ stored: String, _ policyName: String) throws {
        let fixture = try TrafficFixture()
        try fixture.write(stored, TrafficFixture.tags)
        let policy = try fixture.policy("traffic:\n  service-tags: \(written)\n  preset: mars", tagFile: nil,
                                        name: policyName)
        // The test runs elsewhere: only the policy's folder can make the relative path work.
        #expect(FileManager.default.currentDirectoryPath != fixture.folder)
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix(Self.marsLine + "\n"))
    }

    @Test func anAbsoluteTagFilePathIsUsedAsWritten() throws {
        let fixture = try TrafficFixture()
        let tags = try fixture.write("elsewhere/t.json", TrafficFixture.tags)
        let policy = try fixture.policy("traffic:\n  service-tags: \(tags)\n  preset: mars", tagFile: nil)
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("from \(tags) (change 9)"))
    }

    @Test func anUnknownTagPointsAtItsPlaceInThePolicyWithAHint() throws {
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("traffic:\n  service-tags: tags.json\n  tags: [AzureBackup, storage, AzureBakup]")
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        let tags = fixture.path("tags.json")
        #expect(result.stderr == """
            \(policy):8:23: no service tag storage in \(tags): did you mean Storage?
            \(policy):8:32: no service tag AzureBakup in \(tags): did you mean AzureBackup?

            """)
    }

    @Test func aMalformedPrefixPointsAtThePolicyOnce() throws {
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("traffic:\n  prefixes: [\"198.18.1.7/24\"]\n  exclude-prefixes: [10.0.0.0/33]",
                                        tagFile: nil)
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 65)
        #expect(result.stderr == """
            \(policy):7:14: "198.18.1.7/24" has host bits set after the first 24: did you mean 198.18.1.0/24?
            \(policy):8:22: "10.0.0.0/33" has a bad prefix length: give 0 … 32 after the "/"

            """)
    }

    @Test func aMissingTagFileIs66AtTheKeyInThePolicy() throws {
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("traffic:\n  service-tags: nope.json\n  preset: mars", tagFile: nil)
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 66)
        #expect(result.stderr.hasPrefix("\(policy):7:17: cannot read the service-tags file \(fixture.path("nope.json")) "
            + "(does not exist). Download the weekly JSON"), "\(result.stderr)")
        let folder = try fixture.policy("traffic:\n  service-tags: .\n  preset: mars", tagFile: nil)
        let directory = try BinaryRunner.run(["validate", folder])
        #expect(directory.status == 66 && directory.stderr.contains("(is a directory)"), "\(directory.stderr)")
    }

    @Test(arguments: [
        ("{\"values\": [\n", "tags.json:2:1: the JSON ends where a value was expected"),
        ("{\"values\": [\n  {\"name\": \"AzureBackup\", \"properties\": {\"addressPrefixes\": [\"198.18.1.7/24\"]}}]}",
         "tags.json:2:63: in service tag AzureBackup: \"198.18.1.7/24\" has host bits set"),
        ("[]", "tags.json:1:1: a service-tags file is a JSON object with \"values\""),
    ])
    func aMalformedTagFileIs65PointingIntoIt(_ tagFile: String, _ message: String) throws {
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("traffic:\n  service-tags: tags.json\n  preset: mars", tagFile: tagFile)
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("\(fixture.folder)/\(message)"), "\(result.stderr)")
    }

    @Test func exclusionsThatRemoveEverythingAreAnEmptySelection() throws {
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("""
            traffic:
              service-tags: tags.json
              tags: [AzureBackup]
              exclude-prefixes: [198.18.0.0/16, "2001:db8::/32"]
            """)
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 65)
        // Blamed on the first exclusion (line 9, column 22), not on the tags it emptied.
        #expect(result.stderr == "\(policy):9:22: the traffic selection is empty: the excluded prefixes remove every "
            + "address\n")
    }

    @Test func loaderProblemsComeFirstAndNeedNoTagFile() throws {
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("traffic:\n  preset: mars\n  ports: [0]\n  colour: blue", tagFile: nil)
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 65)
        #expect(result.stderr.split(separator: "\n").map(String.init) == [
            "\(policy):8:11: port 0 is not 1 … 65535",
            "\(policy):9:3: unknown key \"colour\" in traffic (known keys: service-tags, tags, prefixes, exclude-prefixes, "
                + "ports, preset)",
        ])
    }

    @Test func showPrintsTheSelectionAndItsJSON() throws {
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("traffic:\n  service-tags: tags.json\n  preset: mars")
        let at = ["--at", "2026-11-23T10:00:00Z"]
        let text = try BinaryRunner.run(["show", "--policy", policy] + at)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.split(separator: "\n").last.map(String.init) == "traffic: tags AzureBackup, Storage, "
            + "AzureActiveDirectory from \(fixture.path("tags.json")) (change 9); \(Self.marsLine)")
        let json = try BinaryRunner.run(["show", "--policy", policy, "--json"] + at)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "work-hours")
        let traffic = try #require(object["traffic"] as? [String: Any])
        #expect(traffic["tags"] as? [String] == ["AzureBackup", "Storage", "AzureActiveDirectory"])
        #expect(traffic["ports"] as? [Int] == [443])
        #expect(traffic["changeNumber"] as? String == "9")
        let ipv4 = try #require(traffic["ipv4"] as? [String: Any])
        #expect(ipv4["prefixes"] as? Int == 5 && ipv4["merged"] as? Int == 3)
        #expect(Set(ipv4.keys) == ["prefixes", "merged", "hashTables", "leaves", "largestBucket", "worstPath", "depth"])
    }

    @Test func withoutTrafficShowIsAsBefore() throws {
        let result = try BinaryRunner.run(["show", "--policy", BinaryRunner.example("mars-documented.yaml"), "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["traffic"] == nil)
    }

    @Test func theBundledExampleUsesThePreset() throws {
        let path = BinaryRunner.example("backup-only.yaml")
        let result = try BinaryRunner.run(["validate", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("; traffic: tags AzureBackup, Storage, AzureActiveDirectory from "
            + "\(BinaryRunner.example("ServiceTags_Example.json")) (change 1) and 2 prefixes, 1 excluded; IPv4 9 → 6, "
            + "IPv6 5 → 4 prefixes after merging and exclusions; remote port 443\n"), "\(result.stdout)")
    }
}
