import Testing
import TrafficSelection

/// The u32 hash layout on made-up prefix sets: no useless tables, bounded work, exact classification.
struct HashLayoutTests {
    static func prefixes(_ texts: [String]) throws -> [IPPrefix] {
        PrefixSet(try texts.map { try IPPrefix(Substring($0)) }).prefixes
    }

    /// Every table of the layout, with the number of non-empty buckets it has.
    static func bucketCounts(_ layout: HashLayout) -> [Int] { layout.tables.map(\.buckets.count) }

    /// (Prefixes are spaced so that merging leaves them apart.) Prefixes that share their first bytes (all of 2001:db8::/32, or all of 198.18.0.0/16) hash on the
    /// first byte where they differ: no table with a single bucket that only repeats its parent.
    @Test(arguments: [
        (0..<100).map { "2001:db8:\(String($0 * 3, radix: 16)):\(String($0, radix: 16))::/64" },
        (0..<100).map { "2001:db8:\(String(2 * $0, radix: 16))::/48" },
        (0..<60).map { "198.18.\($0 * 2).0/24" },
        (0..<300).map { "2001:db8:1:\(String(2 * $0, radix: 16))::/64" },
    ])
    func tablesHashWhereThePrefixesDiffer(_ texts: [String]) throws {
        let prefixes = try Self.prefixes(texts)
        let family = prefixes[0].family
        let layout = HashLayout(family: family, prefixes: prefixes)
        #expect(!layout.tables.isEmpty, "more than \(HashLayout.maximumLeaves) prefixes are hashed")
        for table in layout.tables {
            let bucket = table.buckets.values.first
            #expect(table.buckets.count > 1 || !(bucket?.leaves.isEmpty ?? true),
                    "a table with one bucket and nothing in it but a link (byte \(table.byteIndex)) is useless")
        }
        #expect(layout.worstPath <= 2 * HashLayout.maximumLeaves, "worst path \(layout.worstPath)")
        for prefix in prefixes { #expect(layout.matches(prefix.address)) }
        let outside = try IPPrefix(family == .ipv4 ? "198.19.0.0/24" : "2001:db9::/48")
        #expect(!layout.matches(outside.address))
    }

    /// A small set stays a list of leaves; /0, /32 and /128 edges classify.
    @Test func edges() throws {
        let few = HashLayout(family: .ipv4, prefixes: try Self.prefixes(["198.18.0.0/24", "198.18.7.7/32"]))
        #expect(few.tables.isEmpty && few.leafCount == 2 && few.worstPath == 2)
        let everything = HashLayout(family: .ipv6, prefixes: try Self.prefixes(["::/0"]))
        let host = try IPPrefix("2001:db8::1/128")
        #expect(everything.selectsEverything && everything.matches(host.address))
        let hosts = (0..<40).map { "2001:db8::\(String($0 * 7 + 1, radix: 16))/128" }
        let layout = HashLayout(family: .ipv6, prefixes: try Self.prefixes(hosts))
        for host in hosts { #expect(layout.matches(try IPPrefix(Substring(host)).address)) }
        #expect(!layout.matches(try IPPrefix("2001:db8::2/128").address))
        #expect(layout.worstPath <= 2 * HashLayout.maximumLeaves)
    }
}
