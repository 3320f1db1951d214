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
