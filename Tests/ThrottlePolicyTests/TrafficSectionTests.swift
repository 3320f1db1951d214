import Foundation
import Testing
import ThrottlePolicy

/// The `traffic` section: every key, and every problem the loader finds without a tag file, with its place.
struct TrafficSectionTests {
    /// A valid schedule on lines 1–5; the traffic section starts on line 6.
    static let schedule = """
        time-zone: UTC
        work-days: [mon]
        work-hours: {start: "09:00", end: "18:00"}
        work-hour-bandwidth: 1mbit
        non-work-hour-bandwidth: 2mbit

        """

    static func load(_ traffic: String) throws -> Policy {
        try PolicyLoader.policy(text: schedule + traffic + "\n", file: "p.yaml")
    }

    static func place(_ line: Int, _ column: Int) -> ValueOrigin {
        .file(SourceLocation(file: "p.yaml", line: line, column: column))
    }

    @Test func theContractExampleLoadsWithEveryPlace() throws {
        let policy = try Self.load("""
            traffic:
              service-tags: ServiceTags_Public_20251028.json
              tags: [AzureBackup, Storage, AzureActiveDirectory]
              prefixes: ["203.0.113.0/24", "2001:db8:5::/48"]
              exclude-prefixes: ["203.0.113.128/25"]
              ports: [443]
            """)
        let traffic = try #require(policy.traffic)
        #expect(traffic.serviceTags == .init("ServiceTags_Public_20251028.json", origin: Self.place(7, 17)))
        #expect(traffic.tags == [.init("AzureBackup", origin: Self.place(8, 10)),
                                 .init("Storage", origin: Self.place(8, 23)),
                                 .init("AzureActiveDirectory", origin: Self.place(8, 32))])
        #expect(traffic.prefixes == [.init("203.0.113.0/24", origin: Self.place(9, 14)),
                                     .init("2001:db8:5::/48", origin: Self.place(9, 32))])
        #expect(traffic.excludedPrefixes == [.init("203.0.113.128/25", origin: Self.place(10, 22))])
        #expect(traffic.ports == [.init(443, origin: Self.place(11, 11))])
        #expect(traffic.preset == nil)
        #expect(traffic.origin == Self.place(7, 3))
    }

    @Test func withoutATrafficSectionTheWholeInterfaceIsShaped() throws {
        #expect(try Self.load("").traffic == nil)
    }

    @Test func presetMarsWithServiceTagsAndMoreTags() throws {
        let traffic = try #require(try Self.load("""
            traffic: {service-tags: tags.json, preset: MARS, tags: Storage.WestEurope}
            """).traffic)
        #expect(traffic.preset == .init(.mars, origin: Self.place(6, 44)))
        #expect(traffic.tags.map(\.value) == ["Storage.WestEurope"])
        #expect(traffic.ports.isEmpty, "the preset's port is added when the selection is resolved")
    }

    @Test func prefixesAloneNeedNoTagFileAndPortsMayBeEmpty() throws {
        let traffic = try #require(try Self.load("""
            traffic:
              prefixes: 198.18.0.0/24, 2001:db8::/48
              ports: []
            """).traffic)
        #expect(traffic.serviceTags == nil && traffic.ports.isEmpty)
        // A comma-separated plain scalar gives each item its own column.
        #expect(traffic.prefixes == [.init("198.18.0.0/24", origin: Self.place(7, 13)),
                                     .init("2001:db8::/48", origin: Self.place(7, 28))])
    }

    @Test func aSinglePortAndASingleTagNeedNoList() throws {
        let traffic = try #require(try Self.load("traffic: {service-tags: t.json, tags: AzureBackup, ports: 8443}").traffic)
        #expect(traffic.ports.map(\.value) == [8443] && traffic.tags.map(\.value) == ["AzureBackup"])
    }

    @Test(arguments: [
        ("traffic:\n  tag: [AzureBackup]", 7, 3,
         "unknown key \"tag\" in traffic; did you mean \"tags\"? (known keys: service-tags, tags, prefixes, "
            + "exclude-prefixes, ports, preset)"),
        ("traffic:\n  exclude-prefix: [198.18.0.0/24]\n  prefixes: [198.18.0.0/16]", 7, 3,
         "unknown key \"exclude-prefix\" in traffic; did you mean \"exclude-prefixes\"?"),
        ("traffic: mars", 6, 10, "traffic is a mapping of service-tags, tags, prefixes, exclude-prefixes, ports, preset, "
            + "not \"mars\""),
        ("traffic: {}", 6, 10, "traffic is empty: give preset: mars or tags (with service-tags), or prefixes (to shape "
            + "the whole interface, leave traffic out)"),
        ("traffic:", 6, 9, "traffic is empty: give preset: mars or tags (with service-tags), or prefixes"),
        ("traffic:\n  ports: [443]", 7, 3, "traffic selects nothing: give preset: mars or tags (with service-tags), "
            + "or prefixes"),
        ("traffic:\n  service-tags: t.json\n  tags: []", 7, 3, "traffic selects nothing"),
        ("traffic:\n  service-tags: [a]\n  prefixes: [198.18.0.0/24]", 7, 17,
         "expected the path of a service-tags JSON file, not a list"),
        ("traffic:\n  service-tags: \"\"\n  prefixes: [198.18.0.0/24]", 7, 17, "an empty service-tags file path"),
        ("traffic:\n  service-tags: t.json\n  tags: {a: 1}", 8, 9,
         "expected a list of service tag names such as [AzureBackup, Storage], not a mapping"),
        ("traffic:\n  service-tags: t.json\n  tags: [AzureBackup, [Storage]]", 8, 23,
         "expected a tag name (one item of a list of service tag names"),
        ("traffic:\n  service-tags: t.json\n  tags: [\"\", AzureBackup]", 8, 10, "an empty tag name"),
        ("traffic:\n  service-tags: t.json\n  tags:", 8, 8, "expected a list of service tag names"),
        ("traffic:\n  prefixes: [198.18.0.0/24, {a: 1}]", 7, 29, "expected a prefix (one item of a list of prefixes"),
        ("traffic:\n  prefixes: [198.18.0.0/24]\n  ports: [0]", 8, 11, "port 0 is not 1 … 65535"),
        ("traffic:\n  prefixes: [198.18.0.0/24]\n  ports: [443, 65536]", 8, 16, "port 65536 is not 1 … 65535"),
        ("traffic:\n  prefixes: [198.18.0.0/24]\n  ports: [https]", 8, 11, "a port is a number 1 … 65535, not \"https\""),
        ("traffic:\n  prefixes: [198.18.0.0/24]\n  ports: [-1]", 8, 11, "a port is a number 1 … 65535, not \"-1\""),
        ("traffic:\n  prefixes: [198.18.0.0/24]\n  ports: 443,,80", 8, 14, "a port is a number 1 … 65535, not \"\""),
        ("traffic:\n  service-tags: t.json\n  preset: azure", 8, 11, "unknown preset \"azure\" (known presets: mars)"),
        ("traffic:\n  service-tags: t.json\n  preset: [mars]", 8, 11, "expected a preset name such as mars, not a list"),
        ("traffic:\n  preset: mars", 7, 11, "preset mars selects service tags, so it needs a service-tags file "
            + "(service-tags: FILE, Microsoft's weekly ServiceTags_*.json)"),
        ("traffic:\n  tags: [AzureBackup, Storage]", 7, 10,
         "tags AzureBackup, Storage need a service-tags file (service-tags: FILE)"),
        ("traffic:\n  tags: AzureBackup", 7, 9, "tag AzureBackup needs a service-tags file (service-tags: FILE)"),
    ])
    func problemsArePlaced(_ traffic: String, _ line: Int, _ column: Int, _ message: String) throws {
        let error = try #require(throws: PolicyError.self) { try Self.load(traffic) }
        let first = try #require(error.diagnostics.first)
        #expect(first.origin == Self.place(line, column), "\(error)")
        #expect(first.message.hasPrefix(message), "\(first.message)")
        #expect(error.exitCode == 65)
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let error = try #require(throws: PolicyError.self) {
            try Self.load("""
                traffic:
                  service-tags: [a]
                  ports: [0, 65536, https]
                  preset: azure
                  colour: blue
                """)
        }
        #expect(error.diagnostics.map(\.description) == [
            "p.yaml:7:17: expected the path of a service-tags JSON file, not a list",
            "p.yaml:8:11: port 0 is not 1 … 65535",
            "p.yaml:8:14: port 65536 is not 1 … 65535",
            "p.yaml:8:21: a port is a number 1 … 65535, not \"https\"",
            "p.yaml:9:11: unknown preset \"azure\" (known presets: mars)",
            "p.yaml:10:3: unknown key \"colour\" in traffic (known keys: service-tags, tags, prefixes, exclude-prefixes, "
                + "ports, preset)",
        ])
    }

    @Test func aPresetAndTagsWithoutAFileAreTwoProblems() throws {
        let error = try #require(throws: PolicyError.self) {
            try Self.load("traffic:\n  preset: mars\n  tags: [AzureBackup]")
        }
        #expect(error.diagnostics.map(\.origin) == [Self.place(7, 11), Self.place(8, 10)])
    }

    @Test func prefixSyntaxIsLeftToTheSelectionSoItIsReportedOnce() throws {
        let traffic = try #require(try Self.load("traffic:\n  prefixes: [\"198.18.1.7/24\"]").traffic)
        #expect(traffic.prefixes == [.init("198.18.1.7/24", origin: Self.place(7, 14))])
    }

    @Test func flagsReplaceTheFilesKeysOneByOne() throws {
        var file = try PolicyLoader.draft(text: Self.schedule + """
            traffic:
              service-tags: t.json
              preset: mars
              ports: [8443]
            """, file: "p.yaml")
        var flags = PolicyDraft(documentOrigin: .flag("flags"), namesSettingsAsFlags: true)
        flags.traffic = TrafficDraft(origin: .flag("flags"))
        flags.traffic?.tags = [.init("Storage.WestEurope", origin: .flag("--tag"))]
        flags.traffic?.ports = [.init(443, origin: .flag("--port"))]
        file = file.overlaid(with: flags)
        let traffic = try #require(try file.build().traffic)
        #expect(traffic.serviceTags?.origin == Self.place(7, 17))
        #expect(traffic.preset?.value == .mars)
        #expect(traffic.tags == [.init("Storage.WestEurope", origin: .flag("--tag"))])
        #expect(traffic.ports == [.init(443, origin: .flag("--port"))])
        #expect(traffic.origin == Self.place(7, 3))
    }

    @Test func flagsAloneNameFlagsInTheirMessages() throws {
        var draft = TrafficDraft(origin: .flag("flags"))
        draft.preset = .init(.mars, origin: .flag("--preset"))
        var policy = PolicyDraft(documentOrigin: .flag("flags"), namesSettingsAsFlags: true)
        policy.throttling = .init(false)
        policy.traffic = draft
        let error = try #require(throws: PolicyError.self) { try policy.build() }
        #expect(error.description == "--preset: preset mars selects service tags, so it needs a service-tags file "
            + "(--service-tags FILE, Microsoft's weekly ServiceTags_*.json)")
    }

    @Test(arguments: [("443", 443), ("1", 1), ("65535", 65_535), (" 80 ", 80)])
    func portsParse(_ text: String, _ port: Int) throws {
        #expect(try TrafficRequest.port(parsing: text) == port)
    }

    @Test(arguments: ["0", "65536", "", "1e3", "0x50", "+80", "99999999999999999999"])
    func badPortsAreRefused(_ text: String) {
        #expect(throws: ValueError.self) { try TrafficRequest.port(parsing: text) }
    }

    @Test func trafficIsAKnownTopLevelKey() {
        #expect(PolicyLoader.topLevelKeys.contains("traffic"))
        #expect(TrafficRequest.keys == ["service-tags", "tags", "prefixes", "exclude-prefixes", "ports", "preset"])
    }
}
