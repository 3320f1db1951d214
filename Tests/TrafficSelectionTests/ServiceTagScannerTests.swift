import Foundation
import Testing
@testable import TrafficSelection

/// The scanner (``ServiceTagFile``'s quick path) answers only what the full JSON reader would: on both file
/// shapes, hand-made variants, every truncation and seeded random mutations, `parse` and `parseFully` give the
/// same file or the same problem, and whenever the scanner answers its file equals the full reader's.
struct ServiceTagScannerTests {
    /// Everything a file says, comparable: every tag field, and what the index finds under each name.
    struct Snapshot: Equatable, CustomStringConvertible {
        struct Tag: Equatable {
            let name: String
            let region: String
            let systemService: String
            let prefixes: [IPPrefix]
            let nameOffset: Int
            let foundAt: Int?
        }

        let path: String
        let cloud: String
        let changeNumber: String
        let tags: [Tag]

        init(_ file: ServiceTagFile) {
            path = file.path
            cloud = file.cloud
            changeNumber = file.changeNumber
            tags = file.tags.map {
                Tag(name: $0.name, region: $0.region, systemService: $0.systemService, prefixes: $0.prefixes,
                    nameOffset: $0.nameOffset, foundAt: file.tag(named: $0.name)?.nameOffset)
            }
        }

        var description: String { "\(cloud) \(changeNumber), \(tags.count) tags" }
    }

    enum Outcome: Equatable {
        case file(Snapshot)
        case problem(SelectionProblem)
    }

    static func outcome(_ read: () throws(SelectionProblem) -> ServiceTagFile) -> Outcome {
        do { return .file(Snapshot(try read())) } catch { return .problem(error) }
    }

    /// Checks that `parse` agrees with the full reader on `bytes`, and the scanner too when it answers.
    /// - Returns: whether the scanner answered.
    @discardableResult
    static func check(_ bytes: [UInt8], _ label: @autoclosure () -> String,
                      sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let full = outcome { () throws(SelectionProblem) in try ServiceTagFile.parseFully(bytes, path: "tags.json") }
        let parsed = outcome { () throws(SelectionProblem) in try ServiceTagFile.parse(bytes, path: "tags.json") }
        #expect(parsed == full, "\(label())", sourceLocation: sourceLocation)
        guard let quick = ServiceTagFile.parseQuickly(bytes, path: "tags.json") else { return false }
        #expect(Outcome.file(Snapshot(quick)) == full, "\(label())", sourceLocation: sourceLocation)
        return true
    }

    static func check(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        check(Array(text.utf8), text, sourceLocation: sourceLocation)
    }

    /// A small file in the download's layout: global and regional tags, IPv4 and IPv6, unknown members.
    static let sample: String = {
        let tags = [
            ("ActionGroup", "", "ActionGroup", ["198.18.0.0/24", "203.0.113.64/26", "2001:db8:4::/48", "2001:db8::1/128"]),
            ("AzureBackup", "", "AzureBackup", ["198.18.1.0/24", "0.0.0.0/0", "::/0", "fe80::/10"]),
            ("AzureBackup.WestEurope", "westeurope", "AzureBackup", ["198.18.1.0/25", "2001:db8:1:2:3:4:5:0/112"]),
            ("Storage.EastUS", "eastus", "AzureStorage", []),
        ]
        let values = tags.enumerated().map { number, tag in
            let prefixes = tag.3.map { "\n            \"\($0)\"" }.joined(separator: ",")
            return """
                    {
                      "name": "\(tag.0)",
                      "id": "\(tag.0)",
                      "properties": {
                        "changeNumber": \(number + 1),
                        "region": "\(tag.1)",
                        "regionId": \(number * 7),
                        "platform": "Azure",
                        "systemService": "\(tag.2)",
                        "addressPrefixes": [\(prefixes)
                        ],
                        "networkFeatures": ["API", "NSG", "UDR", "FW"]
                      }
                    }
                """
        }
        return "{\n  \"changeNumber\": 375,\n  \"cloud\": \"Public\",\n  \"values\": [\n"
            + values.joined(separator: ",\n") + "\n  ]\n}"
    }()

    @Test func theScannerReadsBothShapesAndTheSample() {
        #expect(Self.check(ServiceTagFileTests.download))
        #expect(Self.check(ServiceTagFileTests.azureCLI))
        #expect(Self.check(Self.sample))
    }

    /// Variants the scanner reads itself, each the same file as the full reader makes of it.
    @Test(arguments: [
        "{\"values\":[]}",
        "\u{FEFF}{\"values\": []}",
        " \t\r\n{ \"values\" : [ ] , \"cloud\" : \"X\" } \n",
        "{\"cloud\": 7, \"changeNumber\": \"12a\", \"values\": []}",
        "{\"changeNumber\": -1.5e+3, \"values\": []}",
        "{\"changeNumber\": null, \"cloud\": null, \"values\": []}",
        "{\"values\": [{\"properties\": {\"addressPrefixes\": [\"1.2.3.0/24\"], \"region\": 5}, \"name\": \"A\"}]}",
        "{\"values\": [{\"name\": \"Ä\", \"properties\": {\"systemService\": \"ö\", \"addressPrefixes\": []}}]}",
        "{\"x\": {\"a\": [1, 2, {\"b\": [[], {}, \"\\u00e9\\n\\\"\"]}], \"name\": \"\\ud83d\\ude00\"}, \"values\": []}",
        "{\"x\": {\"a\": 1, \"b\": {\"a\": 2}}, \"y\": {\"a\": 3}, \"values\": []}",
        "{\"values\": [{\"name\": \"A\", \"tags\": [[[\"é\"]]], \"properties\": {\"addressPrefixes\": [], \"x\": {}}}]}",
        "{\"values\": [], \"values2\": true, \"valuesx\": false, \"value\": 0, \"\": \"\"}",
    ])
    func readsUsualVariantsItself(_ text: String) {
        #expect(Self.check(text))
    }

    /// Variants the scanner leaves to the full reader, which reads or refuses them as before.
    @Test(arguments: [
        "{\"values\": [{\"name\": \"Azure\\u0042ackup\", \"properties\": {\"addressPrefixes\": []}}]}",
        "{\"values\": [{\"name\": \"A\", \"properties\": {\"region\": \"west\\u0065urope\", \"addressPrefixes\": []}}]}",
        "{\"valu\\u0065s\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": []}}]}",
        "{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": [\"1.2.3.4\"]}}]}",
        "{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": [\"1.2.3.4/8\"]}}]}",
        "{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": [\"::ffff:1.2.3.4/128\"]}}]}",
        "{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": [\"1.2.3.0\\/24\"]}}]}",
        "{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": [7]}}]}",
        "{\"values\": [{\"name\": \"A\", \"name\": \"B\", \"properties\": {\"addressPrefixes\": []}}]}",
        "{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": [], \"addressPrefixes\": 1}}]}",
        "{\"values\": [], \"values\": {}}",
        "{\"cloud\": \"A\", \"cloud\": \"B\", \"values\": []}",
        "{\"x\": {\"n\\u0061me\": 1}, \"values\": []}",
        "{\"x\": {\"a\": 1, \"a\": 2}, \"values\": []}",
        "{\"values\": [{\"name\": \"A\", \"properties\": {\"platform\": \"Azure\", \"platform\": \"Azure\", \"addressPrefixes\": []}}]}",
        "{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": []}}, "
            + "{\"name\": \"A\", \"properties\": {\"addressPrefixes\": []}}]}",
        "{\"values\": [{\"name\": \"\", \"properties\": {\"addressPrefixes\": []}}]}",
        "{\"values\": [{\"name\": \"A\"}]}",
        "{\"values\": [{\"name\": \"A\", \"properties\": {}}]}",
        "{\"values\": [{\"name\": \"A\", \"properties\": []}]}",
        "{\"values\": [7]}",
        "{\"values\": {}}",
        "{\"cloud\": \"Public\"}",
        "[]",
        "",
        "{\"values\": []} x",
        "{\"values\": [],}",
        "{\"x\": \"\\q\", \"values\": []}",
        "{\"x\": \"\\ud800\", \"values\": []}",
        "{\"x\": \"\\udc00\", \"values\": []}",
        "{\"x\": \"\\ud800\\u0041\", \"values\": []}",
        "{\"x\": \"\\\", \"values\": []}",
        "{\"x\": \"\\u12g4\", \"values\": []}",
        "{\"x\": \"\u{01}\", \"values\": []}",
        "{\"x\": 01, \"values\": []}",
        "{\"x\": [1.], \"values\": []}",
        "{\"x\": {\"y\": 1e}, \"values\": []}",
        "{\"x\": -, \"values\": []}",
        "{\"x\": [1,], \"values\": []}",
        "{\"x\": {\"a\" 1}, \"values\": []}",
        "{\"x\": {,}, \"values\": []}",
        "{\"x\": tru, \"values\": []}",
        "{\"x\": nul, \"values\": []}",
        "{\"values\": [{\"é\": 1}]}",
    ])
    func leavesTheUnusualToTheFullReader(_ text: String) {
        #expect(!Self.check(text))
    }

    static func fileWithPrefix(_ text: String) -> [UInt8] {
        Array("{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": [\"\(text)\"]}}]}".utf8)
    }

    /// The scanner reads plain IPv4 and IPv6 prefixes in the pass that finds their quotes; on every edge case
    /// of the prefix parsers it gives what the full reader gives.
    @Test(arguments: PrefixFastParserTests.samples + ["2001:DB8::/32", "2001:db8::/032", "1.2.3.0/024", "1.2.3.0/ 24",
                                                      "1.2.3.0/24 ", "::/00", "0:0:0:0:0:0:0:0/0", "a:b:c:d:e:f:0:1/128"])
    func everyPrefixSpellingAgrees(_ text: String) {
        Self.check(Self.fileWithPrefix(text), text)
    }

    @Test func randomPrefixSpellingsAgree() {
        var generator = SplitMix(seed: 11)
        let alphabet = Array("0123456789abcdefABCDEF:./x\"")
        var answered = 0
        for _ in 0..<5_000 {
            let text = PrefixFastParserTests.mutatedSample(alphabet: alphabet, using: &generator)
            if Self.check(Self.fileWithPrefix(text), text) { answered += 1 }
        }
        #expect(answered > 250)
    }

    @Test func invalidUTF8AnywhereIsLeftToTheFullReader() {
        for (before, after) in [("{\"values\": [\"", "\"]}"), ("{\"x\": \"", "\", \"values\": []}"),
                                ("{\"cloud\": \"", "\", \"values\": []}"),
                                ("{\"values\": [{\"name\": \"", "\", \"properties\": {\"addressPrefixes\": []}}]}")] {
            for bad in [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xC0, 0xAF]] as [[UInt8]] {
                let bytes = Array(before.utf8) + bad + Array(after.utf8)
                #expect(!Self.check(bytes, "\(before) \(bad) \(after)"))
            }
        }
    }

    /// The full reader refuses nesting past ``JSONDocumentReader/maximumDepth``; the scanner reads up to it.
    @Test func nestingUpToTheLimitIsReadAndPastItRefused() {
        func nested(_ levels: Int) -> String {
            "{\"values\": [], \"x\": " + String(repeating: "[", count: levels) + String(repeating: "]", count: levels) + "}"
        }
        #expect(Self.check(nested(JSONDocumentReader.maximumDepth - 1)))
        #expect(!Self.check(nested(JSONDocumentReader.maximumDepth)))
        func deepInProperties(_ levels: Int) -> String {
            "{\"values\": [{\"name\": \"A\", \"properties\": {\"addressPrefixes\": [], \"x\": "
                + String(repeating: "{\"a\": ", count: levels) + "1" + String(repeating: "}", count: levels) + "}}]}"
        }
        // The properties object is the fourth level.
        #expect(Self.check(deepInProperties(JSONDocumentReader.maximumDepth - 4)))
        #expect(!Self.check(deepInProperties(JSONDocumentReader.maximumDepth - 3)))
    }

    @Test func everyTruncationAgrees() {
        let bytes = Array(Self.sample.utf8)
        var answered = 0
        for end in 0...bytes.count where Self.check(Array(bytes[..<end]), "cut at \(end)") { answered += 1 }
        // Only the whole file is complete.
        #expect(answered == 1)
    }

    /// Seeded random edits of the sample (JSON punctuation, escapes, numbers, bad bytes, copied spans, deletions):
    /// whatever they make, the two readers agree, and the scanner answers often enough for that to mean something.
    @Test func randomMutationsAgree() {
        let pieces: [[UInt8]] = ["\"", "\\", "\\u0041", "\\ud83d\\ude00", "\\ud800", "{", "}", "[", "]", ",", ":", " ",
                                 "\n", "0", "-", "1e5", ".", "/", "::", "null", "true", "\u{01}", "é", "x"].map {
            Array($0.utf8)
        } + [[0xFF], [0xC3]]
        let original = Array(Self.sample.utf8)
        var generator = SplitMix(seed: 2_025)
        var answered = 0
        var fullyRead = 0
        let rounds = 3_000
        for round in 0..<rounds {
            var bytes = original
            for _ in 0..<Int(generator.next() % 3) + 1 {
                let at = Int(generator.next() % UInt64(bytes.count + 1))
                switch generator.next() % 5 {
                case 0: bytes.insert(contentsOf: pieces.randomElement(using: &generator)!, at: at)
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int(generator.next() % 4) + 1))
                case 2:
                    // Copy a span elsewhere: repeated members, repeated tags, shifted structure.
                    let from = Int(generator.next() % UInt64(bytes.count))
                    let span = Array(bytes[from..<min(bytes.count, from + Int(generator.next() % 400))])
                    bytes.insert(contentsOf: span, at: at)
                case 3:
                    // Change one byte of a prefix, a name or a number.
                    if at < bytes.count { bytes[at] = Array("0123456789abcdef.:/ \"".utf8).randomElement(using: &generator)! }
                default:
                    if at + 1 < bytes.count { bytes.swapAt(at, at + 1) }
                }
            }
            if Self.check(bytes, "round \(round): \(String(decoding: bytes, as: UTF8.self))") { answered += 1 }
            if (try? ServiceTagFile.parseFully(bytes, path: "tags.json")) != nil { fullyRead += 1 }
        }
        print("random mutations: \(rounds) rounds, the full reader read \(fullyRead), the scanner answered \(answered)")
        #expect(answered > rounds / 10)
        #expect(fullyRead > answered)
    }
}

/// The scanner reads each real weekly file itself, to the same file as the full reader.
@Suite(.enabled(if: TagData.available || TagData.isCI,
                "needs ../shared/data/service-tags beside the project (real Azure tag files)"))
struct ServiceTagScannerRealFileTests {
    @Test(arguments: ["ServiceTags_Public_20251013.json", "ServiceTags_Public_20251028.json",
                      "ServiceTags_AzureGovernment_20260706.json", "ServiceTags_AzureGovernment_20260720.json"])
    func theScannerReadsTheRealFileAsTheFullReaderDoes(_ name: String) throws {
        let path = TagData.folder.appendingPathComponent(name).path
        guard let data = FileManager.default.contents(atPath: path) else {
            Issue.record("\(path) is missing: CI lays ../shared beside the project")
            return
        }
        let bytes = Array(data)
        #expect(ServiceTagScannerTests.check(bytes, name), "the scanner answers for \(name) itself")
        let file = try #require(ServiceTagFile.parseQuickly(bytes, path: path))
        #expect(file.tags.count > 250)
        // Each tag keeps storage for its own prefixes, not the capacity of the scanner's scratch list.
        #expect(file.tags.allSatisfy { $0.prefixes.capacity <= $0.prefixes.count + 8 })
    }

    /// `az network list-service-tags` output of a real file: the change numbers as strings, more members at the top.
    @Test func theAzureCLIShapeOfARealFileToo() throws {
        let path = TagData.folder.appendingPathComponent("ServiceTags_AzureGovernment_20260720.json").path
        guard let data = FileManager.default.contents(atPath: path) else {
            Issue.record("\(path) is missing: CI lays ../shared beside the project")
            return
        }
        var text = String(decoding: data, as: UTF8.self)
        let number = try #require(text.firstRange(of: "\"changeNumber\": 402,"))
        text.replaceSubrange(number, with: "\"changeNumber\": \"402\", \"id\": \"/subscriptions/x/providers/"
            + "Microsoft.Network/serviceTags/AzureGovernment\", \"name\": \"AzureGovernment\", \"type\": "
            + "\"Microsoft.Network/serviceTags\",")
        #expect(ServiceTagScannerTests.check(Array(text.utf8), "az shape"))
        #expect(try ServiceTagFile.parse(Array(text.utf8), path: "tags.json").changeNumber == "402")
    }
}
