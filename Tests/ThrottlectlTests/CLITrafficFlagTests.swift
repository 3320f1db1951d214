import Foundation
import Testing
import TestSupport

/// The MARS-style selection flags, and `apply` stopping on a bad selection before it talks to the kernel.
struct CLITrafficFlagTests {
    @Test func flagsAloneGiveASelection() throws {
        let fixture = try TrafficFixture()
        let tags = try fixture.write("tags.json", TrafficFixture.tags)
        let result = try BinaryRunner.run(["show"] + TrafficFixture.scheduleFlags + [
            "--service-tags", tags, "--preset", "mars", "--tag", "Storage.WestEurope", "--port", "8443,443",
            "--prefix", "198.18.40.0/24", "--prefix", "2001:db8:40::/48", "--exclude-prefix", "198.18.30.0/25",
            "--at", "2026-11-23T10:00:00Z",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").last.map(String.init) == "traffic: tags AzureBackup, Storage, "
            + "AzureActiveDirectory, Storage.WestEurope from \(tags) (change 9) and 2 prefixes, 1 excluded; "
            + "IPv4 7 → 5, IPv6 3 → 3 prefixes after merging and exclusions; remote ports 443, 8443")
    }

    @Test func flagsReplaceTheFilesKeysAndARelativeFlagPathIsTheWorkingDirectorys() throws {
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("traffic:\n  service-tags: tags.json\n  preset: mars\n  ports: [8443]")
        let result = try BinaryRunner.run(["show", "--policy", policy, "--tag", "Storage.WestEurope", "--port", "80",
                                           "--at", "2026-11-23T10:00:00Z"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("Storage.WestEurope from \(fixture.path("tags.json")) (change 9); IPv4 6 → 3, "
            + "IPv6 2 → 2 prefixes after merging; remote ports 80, 443\n"), "\(result.stdout)")
        // A flag's path is not the policy's: relative to where throttlectl runs.
        let flagged = try BinaryRunner.run(["show", "--policy", policy, "--service-tags", "tags.json"])
        #expect(flagged.status == 66)
        #expect(flagged.stderr.hasPrefix("--service-tags: cannot read the service-tags file tags.json (does not exist)"))
    }

    @Test(arguments: [
        (["--preset", "azure"], 65, "--preset: unknown preset \"azure\" (known presets: mars)\n"),
        (["--preset", "mars"], 65, "--preset: preset mars selects service tags, so it needs a service-tags file "
            + "(--service-tags FILE, Microsoft's weekly ServiceTags_*.json)\n"),
        (["--tag", "AzureBackup"], 65, "--tag: tag AzureBackup needs a service-tags file (--service-tags FILE)\n"),
        (["--prefix", "198.18.0.0/24", "--port", "0,https"], 65,
         "--port: port 0 is not 1 … 65535\n--port: a port is a number 1 … 65535, not \"https\"\n"),
        (["--port", "443"], 65, "flags: traffic selects nothing: give --preset mars or --tag NAME (with --service-tags "
            + "FILE), or --prefix CIDR\n"),
        (["--prefix", "198.18.1.7/24,"], 65, "--prefix: an empty prefix\n"),
        (["--prefix", "198.18.1.7/24"], 65,
         "--prefix: \"198.18.1.7/24\" has host bits set after the first 24: did you mean 198.18.1.0/24?\n"),
        (["--service-tags", "/nonexistent/tags.json", "--preset", "mars"], 66,
         "--service-tags: cannot read the service-tags file /nonexistent/tags.json (does not exist). Download the weekly "
            + "JSON (\"Azure IP Ranges and Service Tags\") or run `az network list-service-tags --location REGION > "
            + "FILE`\n"),
    ] as [([String], Int32, String)])
    func badFlagsNameTheFlag(_ flags: [String], _ status: Int32, _ stderr: String) throws {
        let result = try BinaryRunner.run(["show"] + TrafficFixture.scheduleFlags + flags)
        #expect(result.status == status)
        #expect(result.stderr == stderr)
        #expect(result.stdout.isEmpty)
    }

    /// A tag file that cannot be read does not hide the mistakes that need no tag file: every one in one run.
    @Test func aMissingTagFileIsReportedWithThePrefixMistakes() throws {
        let fixture = try TrafficFixture()
        let policy = try fixture.policy(
            "traffic:\n  service-tags: nope.json\n  preset: mars\n  prefixes: [\"198.18.0.0/33\", \"198.18.1.0/24\"]\n"
                + "  exclude-prefixes: [\"2001:db8::/200\"]")
        let result = try BinaryRunner.run(["validate", policy])
        #expect(result.status == 66, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("\(policy):7:17: cannot read the service-tags file ") == true, "\(result.stderr)")
        #expect(lines.dropFirst().first == "\(policy):9:14: \"198.18.0.0/33\" has a bad prefix length: give 0 … 32 "
            + "after the \"/\"", "\(result.stderr)")
        #expect(lines.last?.hasPrefix("\(policy):10:22: \"2001:db8::/200\" has a bad prefix length") == true,
                "\(result.stderr)")
        let flagged = try BinaryRunner.run(["show"] + TrafficFixture.scheduleFlags + [
            "--service-tags", "/nonexistent/tags.json", "--preset", "mars", "--prefix", "198.18.0.0/33"])
        #expect(flagged.status == 66)
        #expect(flagged.stderr.hasPrefix("--service-tags: cannot read the service-tags file /nonexistent/tags.json"),
                "\(flagged.stderr)")
        #expect(flagged.stderr.hasSuffix("\n--prefix: \"198.18.0.0/33\" has a bad prefix length: give 0 … 32 after "
            + "the \"/\"\n"), "\(flagged.stderr)")
    }

    /// `simulate` and `next` do not use the selection, but refuse a broken one as `show` does.
    @Test(arguments: [["simulate", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z"],
                      ["next", "--count", "1"]])
    func simulateAndNextRefuseABrokenSelection(_ command: [String]) throws {
        let fixture = try TrafficFixture()
        let unknown = try fixture.policy("traffic:\n  service-tags: tags.json\n  tags: [AzureBakup]")
        let result = try BinaryRunner.run(command + ["--policy", unknown])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("\(unknown):8:10: no service tag AzureBakup in "), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let good = try fixture.policy("traffic:\n  service-tags: tags.json\n  preset: mars", name: "good.yaml")
        let fine = try BinaryRunner.run(command + ["--policy", good])
        #expect(fine.status == 0, "\(fine.stderr)")
    }

    @Test func anUnknownTagFlagGetsAHint() throws {
        let fixture = try TrafficFixture()
        let tags = try fixture.write("tags.json", TrafficFixture.tags)
        let result = try BinaryRunner.run(["show"] + TrafficFixture.scheduleFlags + [
            "--service-tags", tags, "--tag", "AzureBakup,Storage", "--tag", "Storage.WestEuropa",
        ])
        #expect(result.status == 65)
        #expect(result.stderr == """
            --tag: no service tag AzureBakup in \(tags): did you mean AzureBackup?
            --tag: no service tag Storage.WestEuropa in \(tags): did you mean Storage.WestEurope?

            """)
    }

    /// A bad selection stops `apply` before netlink: the interface does not exist, yet the answer is 65 or 66,
    /// not 75 (interface missing) — and the same with or without --dry-run.
    @Test(arguments: [false, true])
    func applyChecksTheSelectionBeforeTheKernel(dryRun: Bool) throws {
        let fixture = try TrafficFixture()
        let unknown = try fixture.policy("traffic:\n  service-tags: tags.json\n  tags: [AzureBakup]")
        let missing = try fixture.policy("traffic:\n  service-tags: nope.json\n  preset: mars", name: "missing.yaml")
        let extra = dryRun ? ["--dry-run"] : []
        let wrong = try BinaryRunner.run(["apply", "--policy", unknown, "-i", "nosuchif0"] + extra)
        #expect(wrong.status == 65, "\(wrong.stderr)")
        #expect(wrong.stderr.hasPrefix("\(unknown):8:10: no service tag AzureBakup in "))
        let absent = try BinaryRunner.run(["apply", "--policy", missing, "-i", "nosuchif0", "--state-dir",
                                           fixture.path("state"), "--run-dir", fixture.path("run")] + extra)
        #expect(absent.status == 66, "\(absent.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.path("state/journal.jsonl")))
    }

    /// Run as root, a tag file that others can write is refused as an untrusted policy is (77), before netlink.
    @Test(.enabled(if: getuid() == 0, "policy trust applies to root only"))
    func applyAsRootRefusesATagFileOthersCanWrite() throws {
        let fixture = try TrafficFixture()
        let policy = try fixture.policy("traffic:\n  service-tags: tags.json\n  preset: mars")
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: fixture.path("tags.json"))
        let result = try BinaryRunner.run(["apply", "--policy", policy, "-i", "nosuchif0"])
        #expect(result.status == 77, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("refusing the service-tags file \(fixture.path("tags.json")): it is writable by "
            + "group or others (mode 666; chmod go-w "), "\(result.stderr)")
        let dryRun = try BinaryRunner.run(["apply", "--policy", policy, "-i", "nosuchif0", "--dry-run"])
        #expect(dryRun.status == 75, "a dry run changes nothing, so it trusts the file and stops at the interface")
    }

    @Test func trafficFlagsAreInTheHelp() throws {
        let help = try BinaryRunner.run(["apply", "--help"])
        for flag in ["--service-tags <file>", "--tag <name>", "--prefix <cidr>", "--exclude-prefix <cidr>", "--port <n>",
                     "--preset <name>"] {
            #expect(help.stdout.contains(flag), "\(flag)")
        }
    }
}
