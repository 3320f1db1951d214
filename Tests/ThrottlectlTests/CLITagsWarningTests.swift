import Foundation
import Testing
import TestSupport

/// `tags`: warnings that make a diff trustworthy, each tag once, and duplicate tags at LINE:COLUMN.
struct CLITagsWarningTests {
    static let small = CLITagsTests.small

    @Test func aDiffAcrossCloudsWarns() throws {
        let old = try CLITagsTests.write(Self.small)
        let new = try CLITagsTests.write(
            Self.small.replacingOccurrences(of: "\"Public\"", with: "\"AzureGovernment\"")
                .replacingOccurrences(of: "\"changeNumber\": 7", with: "\"changeNumber\": 8"))
        defer { for path in [old, new] { try? FileManager.default.removeItem(atPath: path) } }
        let result = try BinaryRunner.run(["tags", old, "--diff", new, "--tag", "AzureBackup"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: \(old) is for cloud Public and \(new) for AzureGovernment"))
        #expect(!result.stderr.contains("older"))
    }

    @Test func anOlderNewerFileWarns() throws {
        let old = try CLITagsTests.write(Self.small)
        let new = try CLITagsTests.write(
            Self.small.replacingOccurrences(of: "\"changeNumber\": 7", with: "\"changeNumber\": 3"))
        defer { for path in [old, new] { try? FileManager.default.removeItem(atPath: path) } }
        let result = try BinaryRunner.run(["tags", old, "--diff", new, "--tag", "AzureBackup"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("(change number 3) is older than \(old) (change number 7)"), "\(result.stderr)")
        #expect(!result.stderr.contains("cloud"))
    }

    /// Microsoft adds and retires regional tags: a tag in one file only is diffed against nothing, with a
    /// warning; one in neither file is refused.
    @Test func aTagInOneFileOnlyIsAllAddedOrAllRemoved() throws {
        let old = try CLITagsTests.write(Self.small)
        let new = try CLITagsTests.write(
            Self.small.replacingOccurrences(of: "\"Storage.WestEurope\"", with: "\"Storage.NorthEurope\""))
        defer { for path in [old, new] { try? FileManager.default.removeItem(atPath: path) } }
        let removed = try BinaryRunner.run(["tags", old, "--diff", new, "--tag", "Storage.WestEurope"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains("−1 +0\n- 198.18.1.0/24"), "\(removed.stdout)")
        #expect(removed.stderr.contains("warning: service tag Storage.WestEurope is not in \(new)"), "\(removed.stderr)")
        let added = try BinaryRunner.run(["tags", old, "--diff", new, "--tag", "Storage.NorthEurope"])
        #expect(added.status == 0 && added.stdout.contains("−0 +1\n+ 198.18.1.0/24"), "\(added.stdout)")
        let neither = try BinaryRunner.run(["tags", old, "--diff", new, "--tag", "Storage.WestEuropa"])
        #expect(neither.status == 65)
        #expect(neither.stderr.contains("no service tag Storage.WestEuropa in \(old) or \(new): did you mean"),
                "\(neither.stderr)")
    }

    @Test func aTagAskedForTwiceIsListedOnce() throws {
        let path = try CLITagsTests.write(Self.small)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try BinaryRunner.run(["tags", path, "--tag", "AzureBackup,AzureBackup", "--tag", "AzureBackup"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count { $0.hasPrefix("AzureBackup ") } == 1, "\(result.stdout)")
    }

    @Test func aDuplicateTagNamesTheFirstOnesLineAndColumn() throws {
        let path = try CLITagsTests.write("""
            {"values": [
              {"name": "A", "properties": {"addressPrefixes": []}},
              {"name": "A", "properties": {"addressPrefixes": []}}
            ]}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try BinaryRunner.run(["tags", path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(path):3:12: service tag A appears twice (first at \(path):2:12)"),
                "\(result.stderr)")
    }
}
