import Foundation
import Testing
import TestSupport

/// End-to-end: `throttlectl tags` on small files the test writes, and on the real weekly files when present.
struct CLITagsTests {
    static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tags-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let small = """
        {"changeNumber": 7, "cloud": "Public", "values": [
          {"name": "AzureBackup", "properties": {"region": "", "addressPrefixes":
            ["198.18.1.0/25", "198.18.1.128/25", "2001:db8:1::/48"]}},
          {"name": "Storage.WestEurope", "properties": {"region": "westeurope", "addressPrefixes": ["198.18.1.0/24"]}}
        ]}
        """

    @Test func listsTagsWithTheirCountsAndTheMergedTotal() throws {
        let path = try Self.write(Self.small)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try BinaryRunner.run(["tags", path, "--tag", "AzureBackup,Storage.WestEurope"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(lines.contains(["AzureBackup", "(global)", "2", "1", "2"]))
        #expect(lines.contains(["Storage.WestEurope", "westeurope", "1", "0", "1"]))
        #expect(result.stdout.contains("together: 4 prefixes, 2 after merging (1 IPv4, 1 IPv6)"))
        let json = try BinaryRunner.run(["tags", path, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["tags"] as? [[String: Any]])?.count == 2)
        #expect(object["changeNumber"] as? String == "7")
    }

    @Test func diffsTwoFiles() throws {
        let old = try Self.write(Self.small)
        let new = try Self.write(Self.small.replacingOccurrences(of: "\"198.18.1.128/25\"", with: "\"198.18.9.0/24\""))
        defer { for path in [old, new] { try? FileManager.default.removeItem(atPath: path) } }
        let result = try BinaryRunner.run(["tags", old, "--diff", new, "--tag", "AzureBackup"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").dropFirst() == ["- 198.18.1.128/25", "+ 198.18.9.0/24"])
        #expect(result.stdout.hasPrefix("AzureBackup: "))
        #expect(result.stdout.split(separator: "\n").first?.hasSuffix("−1 +1") == true)
    }

    @Test(arguments: [
        (["--tag", "AzureBakup"], Int32(65), "no service tag AzureBakup in", "did you mean AzureBackup?"),
        (["--tag", ""], 64, "--tag needs a name", ""),
        (["--diff", "/nonexistent.json"], 64, "--diff needs at least one --tag", ""),
    ])
    func badArgumentsAreRefused(_ arguments: [String], _ status: Int32, _ message: String, _ hint: String) throws {
        let path = try Self.write(Self.small)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try BinaryRunner.run(["tags", path] + arguments)
        #expect(result.status == status)
        #expect(result.stderr.contains(message) && (hint.isEmpty || result.stderr.contains(hint)), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func missingAndMalformedFilesAre66And65WithAPlace() throws {
        let missing = try BinaryRunner.run(["tags", "/nonexistent/tags.json"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("cannot read the service-tags file"))
        let path = try Self.write("{\"values\": [\n  {\"name\": \"A\", \"properties\": {\"addressPrefixes\": [\"198.18.1.7/24\"]}}]}")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let malformed = try BinaryRunner.run(["tags", path])
        #expect(malformed.status == 65)
        #expect(malformed.stderr.contains("\(path):2:53: in service tag A: \"198.18.1.7/24\" has host bits set"),
                "\(malformed.stderr)")
    }
}
