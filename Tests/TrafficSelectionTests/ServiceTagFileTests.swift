import Testing
import TrafficSelection

struct ServiceTagFileTests {
    static func parse(_ text: String) throws -> ServiceTagFile {
        try ServiceTagFile.parse(Array(text.utf8), path: "tags.json")
    }

    static let download = """
        {
          "changeNumber": 375,
          "cloud": "Public",
          "values": [
            {
              "name": "AzureBackup",
              "id": "AzureBackup",
              "properties": {
                "changeNumber": 9, "region": "", "regionId": 0, "platform": "Azure", "systemService": "AzureBackup",
                "addressPrefixes": ["198.18.1.0/24", "2001:db8:1::/48"], "networkFeatures": ["API", "NSG"]
              }
            },
            {
              "name": "AzureBackup.WestEurope",
              "id": "AzureBackup.WestEurope",
              "properties": { "region": "westeurope", "systemService": "AzureBackup", "addressPrefixes": ["198.18.1.0/25"] }
            }
          ]
        }
        """

    /// `az network list-service-tags` prints the change number as a string and adds id, name and type.
    static let azureCLI = """
        {"changeNumber": "375", "cloud": "Public", "id": "/subscriptions/x/providers/Microsoft.Network/serviceTags/Public",
         "name": "Public", "type": "Microsoft.Network/serviceTags",
         "values": [{"id": "Storage", "name": "Storage", "serviceTagChangeNumber": "12",
                     "properties": {"addressPrefixes": ["198.18.2.0/24"], "changeNumber": "12", "region": "",
                                    "state": "GA", "systemService": "AzureStorage"}}]}
        """

    @Test func readsTheDownloadedShape() throws {
        let file = try Self.parse(Self.download)
        #expect(file.cloud == "Public" && file.changeNumber == "375")
        let tag = try #require(file.tag(named: "AzureBackup"))
        #expect(tag.ipv4Count == 1 && tag.ipv6Count == 1)
        #expect(file.tag(named: "AzureBackup.WestEurope")?.region == "westeurope")
    }

    @Test func readsTheAzureCLIShape() throws {
        let file = try Self.parse(Self.azureCLI)
        #expect(file.changeNumber == "375")
        #expect(file.tag(named: "Storage")?.prefixes.map(\.description) == ["198.18.2.0/24"])
    }

    @Test(arguments: [
        ("{\"values\": [", "tags.json:1:13", "ends where a value"),
        ("[]", "tags.json:1:1", "JSON object"),
        ("{\"cloud\": \"Public\"}", "tags.json:1:1", "no \"values\""),
        ("{\"values\": {}}", "tags.json:1:12", "must be an array"),
        ("{\"values\": [{\"name\": \"A\"}]}", "tags.json:1:13", "no \"properties\""),
        ("{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": [\"1.2.3.4/33\"]}}]}",
         "tags.json:1:63", "bad prefix length"),
        ("{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": [\n  \"1.2.3.4/8\"]}}]}",
         "tags.json:2:4", "did you mean 1.0.0.0/8"),
        ("{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": [7]}}]}", "tags.json:1:62", "must be a string"),
        ("{\"values\": [],}", "tags.json:1:15", "member name"),
        ("{\"values\": [\"\\q\"]}", "tags.json:1:14", "unknown escape"),
        ("{\"values\": [\"\u{01}\"]}", "tags.json:1:14", "control character"),
        ("{\"values\": []} x", "tags.json:1:16", "after the JSON value"),
        ("", "tags.json:1:1", "ends where a value"),
        // A member written twice: readers disagree on which counts, so a reviewer could be shown other prefixes.
        ("{\"values\": [], \"values\": []}", "tags.json:1:16", "\"values\" is written twice"),
        ("{\"values\": [{\"name\": \"A\", \"name\": \"B\", \"properties\": {\"addressPrefixes\": []}}]}",
         "tags.json:1:27", "\"name\" is written twice"),
        ("{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": [], \"addressPrefixes\": [\"198.18.0.0/24\"]}}]}",
         "tags.json:1:65", "\"addressPrefixes\" is written twice"),
        ("{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": [\"198.18.0.0/24 \"]}}]}",
         "tags.json:1:63", "holds a space"),
    ])
    func malformedFilesPointAtTheProblem(_ text: String, _ place: String, _ message: String) {
        #expect {
            _ = try Self.parse(text)
        } throws: { error in
            guard let problem = error as? SelectionProblem else { return false }
            return problem.place == place && problem.message.contains(message) && problem.exitCode == 65
        }
    }

    @Test func invalidUTF8IsAnErrorWithAPlace() {
        var bytes = Array("{\"values\": [\"".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array("\"]}".utf8)
        #expect(throws: SelectionProblem.self) { try ServiceTagFile.parse(bytes, path: "tags.json") }
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let text = "{\"values\": " + String(repeating: "[", count: 100_000) + "}"
        #expect(throws: SelectionProblem.self) { try Self.parse(text) }
    }

    @Test func unknownTagsSuggestTheNearestName() throws {
        let file = try Self.parse(Self.download)
        #expect(file.suggestion(for: "azurebackup") == "AzureBackup")
        #expect(file.suggestion(for: "AzureBakup") == "AzureBackup")
        #expect(file.suggestion(for: "Sql") == nil)
        let request = SelectionRequest(tags: [Placed("AzureBakup", at: "policy.yaml:4:10")])
        #expect {
            _ = try TrafficSelection.resolve(request, file: file)
        } throws: { error in
            (error as? SelectionProblems)?.description == "policy.yaml:4:10: no service tag AzureBakup in tags.json: "
                + "did you mean AzureBackup?"
        }
    }

    @Test func selectionIsTagsAndPrefixesMinusExclusions() throws {
        let file = try Self.parse(Self.download)
        let request = SelectionRequest(
            tags: [Placed("AzureBackup", at: "p:1:1"), Placed("AzureBackup.WestEurope", at: "p:1:2")],
            prefixes: [Placed("198.18.3.0/24", at: "p:2:1")], excludedPrefixes: [Placed("198.18.1.128/25", at: "p:3:1")],
            ports: [Placed(443, at: "p:4:1"), Placed(443, at: "p:4:2")])
        let selection = try TrafficSelection.resolve(request, file: file)
        #expect(selection.remote.prefixes.map(\.description) == ["198.18.1.0/25", "198.18.3.0/24", "2001:db8:1::/48"])
        #expect(selection.ports == [443])
        #expect(selection.countsBeforeMerging.ipv4 == 3 && selection.countsBeforeMerging.ipv6 == 1)
        #expect(selection.countsAfterMerging.ipv4 == 2 && selection.countsAfterMerging.ipv6 == 1)
    }

    /// A tag that exists but lists no prefixes is named in the message, not answered with "give tags".
    @Test func aTagWithoutPrefixesIsNamedWhenTheSelectionIsEmpty() throws {
        let file = try Self.parse("""
            {"values": [{"name": "Empty", "properties": {"addressPrefixes": []}},
                        {"name": "AlsoEmpty", "properties": {"addressPrefixes": []}}]}
            """)
        for (names, message) in [
            (["Empty"], "p:1:1: the traffic selection is empty: tag Empty has no prefixes in tags.json; give other "
                + "tags or prefixes"),
            (["Empty", "AlsoEmpty"], "p:1:1: the traffic selection is empty: tags Empty, AlsoEmpty have no prefixes "
                + "in tags.json; give other tags or prefixes"),
        ] {
            let request = SelectionRequest(tags: names.map { Placed($0, at: "p:1:1") })
            #expect {
                _ = try TrafficSelection.resolve(request, file: file)
            } throws: { error in
                (error as? SelectionProblems)?.description == message
            }
        }
    }

    @Test func anEmptyingExclusionIsBlamedOnTheExclusion() {
        let request = SelectionRequest(prefixes: [Placed("198.18.0.0/24", at: "p:1:1")],
                                       excludedPrefixes: [Placed("0.0.0.0/0", at: "p:2:1")])
        #expect {
            _ = try TrafficSelection.resolve(request, file: nil)
        } throws: { error in
            guard let problem = (error as? SelectionProblems)?.problems.first else { return false }
            return problem.place == "p:2:1" && problem.message.contains("excluded prefixes remove every address")
        }
    }

    @Test(arguments: [("::ffff:198.18.0.1", "did you mean 198.18.0.1/32?"),
                      ("::ffff:198.18.0.0/120", "did you mean 198.18.0.0/24?"),
                      ("::ffff:0:0/96", "did you mean 0.0.0.0/0?")])
    func anIPv4MappedPrefixSuggestsTheIPv4One(_ text: String, _ hint: String) {
        let request = SelectionRequest(prefixes: [Placed(text, at: "p:1:1")])
        #expect {
            _ = try TrafficSelection.resolve(request, file: nil)
        } throws: { error in
            guard let problem = (error as? SelectionProblems)?.problems.first else { return false }
            return problem.place == "p:1:1" && problem.message.contains("IPv4-mapped") && problem.message.contains(hint)
        }
        // Around the mapped range, IPv6 prefixes stay IPv6.
        #expect((try? TrafficSelection.resolve(SelectionRequest(prefixes: [Placed("::fffe:0:0/96", at: "p")]), file: nil)) != nil)
        #expect((try? TrafficSelection.resolve(SelectionRequest(prefixes: [Placed("::/80", at: "p")]), file: nil)) != nil)
    }

    @Test(arguments: [("198.18.0.0/24, 198.19.0.0/24", "holds a comma"), ("198.18.0.0/24 ", "holds a space"),
                      ("\t198.18.0.0/24", "holds a space")])
    func aPrefixWithACommaOrABlankSaysSo(_ text: String, _ message: String) {
        #expect {
            _ = try IPPrefix(text)
        } throws: { error in (error as? PrefixError)?.message.contains(message) == true }
    }

    @Test func aFileWithoutAChangeNumberSaysSo() throws {
        let file = try Self.parse("{\"values\": []}")
        #expect(file.changeLabel == "no change number")
        #expect(try Self.parse(Self.download).changeLabel == "change 375")
    }

    @Test func emptyAndMalformedSelectionsAreRefusedWithEveryProblem() throws {
        let everything = SelectionRequest(prefixes: [Placed("198.18.0.0/15", at: "p:1:1")],
                                          excludedPrefixes: [Placed("198.18.0.0/15", at: "p:2:1")])
        #expect(throws: SelectionProblems.self) { try TrafficSelection.resolve(everything, file: nil) }
        let bad = SelectionRequest(tags: [Placed("Storage", at: "p:1:1")], prefixes: [Placed("300.0.0.0/8", at: "p:2:1")],
                                   ports: [Placed(0, at: "p:3:1"), Placed(65_536, at: "p:3:2")])
        #expect {
            _ = try TrafficSelection.resolve(bad, file: nil)
        } throws: { error in
            (error as? SelectionProblems)?.problems.map(\.place) == ["p:1:1", "p:2:1", "p:3:1", "p:3:2"]
        }
    }
}
