import Foundation
import Testing
@testable import TrafficSelection

/// The byte-level reader agrees with the careful one on everything it accepts, and refuses nothing the careful
/// one accepts in the spellings tag files use.
struct PrefixFastParserTests {
    static let samples = [
        "0.0.0.0/0", "255.255.255.255/32", "10.0.0.0/8", "198.18.0.0/15", "1.2.3.4/32", "01.2.3.4/32", "1.2.3.4/033",
        "1.2.3.4/", "1.2.3/24", "1.2.3.4.5/32", "256.0.0.0/8", "1.2.3.4/33", "1..3.4/32", "::/0", "::1/128", "1::/16",
        "2001:db8::/32", "2001:DB8:0:0:0:0:0:0/32", "2001:db8::1:0:0:1/128", "1:2:3:4:5:6:7:8/128", "1:2:3:4:5:6:7::/112",
        "::2:3:4:5:6:7:8/128", "1:::2/64", "1::2::3/64", ":1::/16", "1::/129", "12345::/16", "g::/16",
        "::ffff:1.2.3.4/128", "2001:db8::1/32", "2001:db8:/32", "2001:db8::1:/64", "", "/", "/8", "1.2.3.4/8",
    ]

    static func agree(_ text: String) -> Bool {
        let careful = try? PrefixParser.parseCarefully(Substring(text))
        guard let quick = PrefixFastParser.parse(Substring(text)) else {
            // Refusing is always safe: the careful reader decides. It must not refuse the plain spellings.
            return careful == nil || text.contains(".") && text.contains(":") || !text.contains("/")
        }
        return quick == careful
    }

    @Test(arguments: samples)
    func agreesOnEdgeCases(_ text: String) {
        #expect(Self.agree(text), "\(text)")
    }

    @Test func agreesOnRandomMutationsOfRealSpellings() {
        var generator = SplitMix(seed: 7)
        let alphabet = Array("0123456789abcdefABCDEF:./x")
        for _ in 0..<50_000 {
            let string = Self.mutatedSample(alphabet: alphabet, using: &generator)
            #expect(Self.agree(string), "\(string)")
        }
    }

    /// One of ``samples`` with one to three characters of `alphabet` inserted, removed or replaced at random.
    static func mutatedSample(alphabet: [Character], using generator: inout SplitMix) -> String {
        var text = Array(samples.randomElement(using: &generator)!)
        for _ in 0..<Int(generator.next() % 3) + 1 {
            let position = text.isEmpty ? 0 : Int(generator.next() % UInt64(text.count + 1))
            switch generator.next() % 3 {
            case 0: text.insert(alphabet.randomElement(using: &generator)!, at: position)
            case 1: if position < text.count { text.remove(at: position) }
            default: if position < text.count { text[position] = alphabet.randomElement(using: &generator)! }
            }
        }
        return String(text)
    }

    @Test func readsEveryPrefixOfTheRealFilesAsTheCarefulReaderDoes() throws {
        guard TagData.available else { return }
        let data = try #require(FileManager.default.contents(
            atPath: TagData.folder.appendingPathComponent("ServiceTags_Public_20251028.json").path))
        let file = try ServiceTagFile.parse(Array(data), path: "tags.json")
        var count = 0
        for tag in file.tags {
            for prefix in tag.prefixes {
                let text = Substring(prefix.description)
                #expect(PrefixFastParser.parse(text) == prefix, "\(prefix)")
                #expect(try PrefixParser.parseCarefully(text) == prefix, "\(prefix)")
                count += 1
            }
        }
        #expect(count > 90_000)
    }
}
