import Testing
import TrafficSelection

/// The cached form of a resolved selection: read back exactly, and refused whole when it is not intact.
struct ResolvedSelectionRecordTests {
    static let tagFile = """
        {"changeNumber": 12, "cloud": "Public", "values": [
          {"name": "AzureBackup", "properties": {"region": "", "addressPrefixes":
            ["198.18.20.0/24", "198.18.21.0/24", "2001:db8:20::/48", "198.18.0.1/32", "2001:db8::1/128"]}},
          {"name": "Storage.WestEurope", "properties": {"region": "westeurope", "systemService": "AzureStorage",
            "addressPrefixes": ["198.18.30.0/24", "0.0.0.0/0"]}}
        ]}
        """

    static func record() throws -> ResolvedSelectionRecord {
        let file = try ServiceTagFile.parse(Array(tagFile.utf8), path: "tags.json")
        let selection = try TrafficSelection.resolve(
            SelectionRequest(tags: [Placed("AzureBackup", at: "p"), Placed("Storage.WestEurope", at: "p")],
                             prefixes: [Placed("2001:db8:5::/48", at: "p")],
                             excludedPrefixes: [Placed("198.18.20.128/25", at: "p")],
                             ports: [Placed(443, at: "p"), Placed(8443, at: "p")]),
            file: file)
        return ResolvedSelectionRecord(key: "file tags.json\ndev 1 ino 2", tagFilePath: file.path, cloud: file.cloud,
                                       changeNumber: file.changeNumber, selection: selection)
    }

    @Test func roundTrips() throws {
        let record = try Self.record()
        let decoded = try ResolvedSelectionRecord.decode(record.encoded())
        #expect(decoded.key == record.key)
        #expect(decoded.tagFilePath == "tags.json" && decoded.cloud == "Public" && decoded.changeNumber == "12")
        #expect(decoded.selection.remote == record.selection.remote)
        #expect(decoded.selection.ports == [443, 8443])
        #expect(decoded.selection.tags.map(\.name) == ["AzureBackup", "Storage.WestEurope"])
        #expect(decoded.selection.tags.map(\.region) == ["", "westeurope"])
        #expect(decoded.selection.countsBeforeMerging == record.selection.countsBeforeMerging)
        #expect(decoded.selection.countsAfterMerging == record.selection.countsAfterMerging)
    }

    /// Any flipped byte, a truncation or bytes added: refused (the caller reads the tag file instead).
    @Test func refusesAnythingButAnIntactRecord() throws {
        let bytes = try Self.record().encoded()
        for index in stride(from: 0, to: bytes.count, by: 7) {
            var altered = bytes
            altered[index] ^= 0x10
            #expect(throws: ResolvedSelectionRecord.Unreadable.self) { try ResolvedSelectionRecord.decode(altered) }
        }
        for length in [0, 10, bytes.count / 2, bytes.count - 1] {
            #expect(throws: ResolvedSelectionRecord.Unreadable.self) {
                try ResolvedSelectionRecord.decode(Array(bytes.prefix(length)))
            }
        }
        #expect(throws: ResolvedSelectionRecord.Unreadable.self) { try ResolvedSelectionRecord.decode(bytes + [0]) }
    }
}
