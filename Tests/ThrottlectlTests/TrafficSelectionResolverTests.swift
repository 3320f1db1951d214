import Testing
import ThrottlePolicy
import TrafficSelection

@testable import ThrottlectlCLI

/// The resolver's pure parts: where a relative tag file is looked for, and how the preset expands.
struct TrafficSelectionResolverTests {
    static func file(_ path: String) -> ValueOrigin { .file(SourceLocation(file: path, line: 7, column: 17)) }

    @Test(arguments: [
        ("tags.json", file("/etc/throttlectl/policy.yaml"), "/etc/throttlectl/tags.json"),
        ("data/tags.json", file("etc/policy.yaml"), "etc/data/tags.json"),
        ("../tags.json", file("etc/policy.yaml"), "etc/../tags.json"),
        ("tags.json", file("policy.yaml"), "tags.json"),
        ("/srv/tags.json", file("/etc/policy.yaml"), "/srv/tags.json"),
        ("tags.json", .flag("--service-tags"), "tags.json"),
        ("tags.json", file("-"), "tags.json"),
    ] as [(String, ValueOrigin, String)])
    func tagFilesAreFoundBesideThePolicyFile(_ written: String, _ origin: ValueOrigin, _ opened: String) {
        #expect(TrafficSelectionResolver.tagFilePath(for: .init(written, origin: origin)) == opened)
    }

    @Test func thePresetExpandsAtItsPlaceAheadOfTheTagsWrittenOut() {
        let preset = Self.file("p.yaml")
        let request = TrafficRequest(
            serviceTags: .init("t.json", origin: .code), tags: [.init("Storage.WestEurope", origin: .flag("--tag"))],
            prefixes: [.init("198.18.0.0/24", origin: .flag("--prefix"))], ports: [.init(8443, origin: .flag("--port"))],
            preset: .init(.mars, origin: preset))
        let expanded = TrafficSelectionResolver.selectionRequest(for: request)
        #expect(expanded.tags.map(\.value) == SelectionRequest.marsTags + ["Storage.WestEurope"])
        #expect(expanded.tags.map(\.place) == ["p.yaml:7:17", "p.yaml:7:17", "p.yaml:7:17", "--tag"])
        #expect(expanded.ports.map(\.value) == [443, 8443])
        #expect(expanded.prefixes.map(\.place) == ["--prefix"])
    }

    @Test func aRequestWithPrefixesOnlyNeedsNoFile() throws {
        let request = TrafficRequest(serviceTags: nil, prefixes: [.init("2001:db8::/48", origin: .flag("--prefix"))])
        let resolved = try TrafficSelectionResolver.resolve(request)
        #expect(resolved.tagFile == nil)
        #expect(resolved.selection.countsAfterMerging == (0, 1))
        #expect(SelectionReport(resolved: resolved).lines == [
            "traffic: 1 prefix; IPv4 0 → 0, IPv6 1 → 1 prefixes after merging; any remote port",
            "u32 IPv4: nothing selected",
            "u32 IPv6: 0 hash tables, 1 leaves, largest bucket 1, worst path 1 nodes, depth 0",
        ])
    }

    @Test func aWholeFamilyNeedsNoTable() throws {
        let request = TrafficRequest(serviceTags: nil, prefixes: [.init("0.0.0.0/0", origin: .code)],
                                     ports: [.init(443, origin: .code)])
        let report = SelectionReport(resolved: try TrafficSelectionResolver.resolve(request))
        #expect(report.lines[1] == "u32 IPv4: every address (a /0 needs no table)")
        #expect(report.portsText == "remote port 443")
    }
}
