import Foundation
import Testing
import TrafficSelection

/// Plans from the real weekly files in `../shared/data/service-tags` (beside the project, as CI lays it out).
/// Under `CI=true` a missing folder is a failure, not a skip.
@Suite(.enabled(if: TagData.available || TagData.isCI,
                "needs ../shared/data/service-tags beside the project (real Azure tag files)"))
struct RealTagFileTests {
    static let folder = TagData.folder
    static let isCI = TagData.isCI

    static func load(_ name: String) throws -> ServiceTagFile? {
        let path = folder.appendingPathComponent(name).path
        guard let data = FileManager.default.contents(atPath: path) else {
            if isCI { Issue.record("\(path) is missing: CI lays ../shared beside the project") }
            return nil
        }
        return try ServiceTagFile.parse(Array(data), path: path)
    }

    static func selection(_ file: ServiceTagFile, _ tags: [String]) throws -> TrafficSelection {
        try TrafficSelection.resolve(SelectionRequest(tags: tags.map { Placed($0, at: "test") }), file: file)
    }

    @Test func theBackupTagsMergeFrom1304To1298() throws {
        guard let file = try Self.load("ServiceTags_Public_20251028.json") else { return }
        #expect(file.cloud == "Public" && file.changeNumber == "375" && file.tags.count == 3_039)
        for (name, ipv4, ipv6) in [("AzureBackup", 332, 182), ("Storage", 495, 79), ("AzureActiveDirectory", 200, 16)] {
            let tag = try #require(file.tag(named: name))
            #expect(tag.ipv4Count == ipv4 && tag.ipv6Count == ipv6, "\(name)")
        }
        let backup = try Self.selection(file, SelectionRequest.marsTags)
        #expect(backup.countsBeforeMerging.ipv4 + backup.countsBeforeMerging.ipv6 == 1_304)
        #expect(backup.remote.prefixes.count == 1_298)
    }

    @Test func azureCloudMergesFrom13080To3206() throws {
        guard let file = try Self.load("ServiceTags_Public_20251028.json") else { return }
        let cloud = try Self.selection(file, ["AzureCloud"])
        #expect(cloud.countsBeforeMerging.ipv4 == 9_585 && cloud.countsBeforeMerging.ipv6 == 3_495)
        #expect(cloud.remote.prefixes.count == 3_206)
    }

    @Test func theWeeklyDiffOfAzureCloudIsMinus61Plus79() throws {
        guard let old = try Self.load("ServiceTags_Public_20251013.json"),
            let new = try Self.load("ServiceTags_Public_20251028.json") else { return }
        let diff = PrefixDiff(from: try #require(old.tag(named: "AzureCloud")).prefixes,
                              to: try #require(new.tag(named: "AzureCloud")).prefixes)
        #expect(diff.removed.count == 61 && diff.added.count == 79)
        for name in SelectionRequest.marsTags {
            let unchanged = PrefixDiff(from: try #require(old.tag(named: name)).prefixes,
                                       to: try #require(new.tag(named: name)).prefixes)
            #expect(unchanged.added.isEmpty && unchanged.removed.isEmpty, "\(name) did not change between the two")
        }
    }

    @Test func theGovernmentCloudReadsToo() throws {
        guard let file = try Self.load("ServiceTags_AzureGovernment_20260720.json") else { return }
        #expect(file.cloud == "AzureGovernment" && file.tags.count == 299)
        #expect(try Self.selection(file, SelectionRequest.marsTags).remote.prefixes.count > 0)
    }

    /// The hash layout keeps every bucket small and classifies exactly as plain containment does.
    @Test(arguments: [["AzureCloud"], SelectionRequest.marsTags])
    func hashLayoutsStaySmallAndClassifyExactly(_ tags: [String]) throws {
        guard let file = try Self.load("ServiceTags_Public_20251028.json") else { return }
        let selection = try Self.selection(file, tags)
        var generator = SystemRandomNumberGenerator()
        for family in AddressFamily.allCases {
            let prefixes = Array(selection.remote.prefixes(of: family))
            let layout = HashLayout(family: family, prefixes: prefixes)
            print("\(tags.joined(separator: "+")) \(family): \(prefixes.count) prefixes → \(layout.tables.count) tables, "
                + "\(layout.leafCount) leaves, largest bucket \(layout.largestBucket), worst path \(layout.worstPath), "
                + "depth \(layout.depth)")
            #expect(layout.worstPath <= 2 * HashLayout.maximumLeaves, "a packet meets a bounded number of nodes")
            #expect(layout.depth <= HashLayout.maximumDepth)
            #expect(layout.leafCount <= 4 * prefixes.count, "replication stays bounded")
            #expect(layout.tables.count <= 0x7FF / 4, "table ids fit our quarter of u32's 12-bit space")
            // Every prefix's first and last address match; random addresses agree with containment.
            for prefix in prefixes {
                #expect(layout.matches(prefix.address))
                #expect(layout.matches(prefix.address | ~AddressBits.mask(length: prefix.length) & AddressBits.mask(length: family.bitWidth)))
            }
            for _ in 0..<5_000 {
                var address = AddressBits(high: generator.next(), low: family == .ipv4 ? 0 : generator.next())
                if family == .ipv4 { address.high &= 0xFFFF_FFFF_0000_0000 }
                // Bias half the samples next to a selected prefix, where mistakes would hide.
                if Bool.random(using: &generator), let near = prefixes.randomElement(using: &generator) {
                    let keep = AddressBits.mask(length: max(0, near.length - 2))
                    address = (near.address & keep) | (address & ~keep) & AddressBits.mask(length: family.bitWidth)
                }
                let expected = prefixes.contains { IPPrefix(family: family, address: address, length: $0.length) == $0 }
                #expect(layout.matches(address) == expected)
            }
        }
    }
}

/// Where the real tag files are: `../shared/data/service-tags` beside the project.
enum TagData {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/service-tags")
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let available = FileManager.default.fileExists(atPath: folder.path)
}
