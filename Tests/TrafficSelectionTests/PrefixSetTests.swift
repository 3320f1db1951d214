import Testing
import TrafficSelection

struct PrefixSetTests {
    static func set(_ texts: [String]) throws -> [String] {
        PrefixSet(try texts.map { try IPPrefix($0) }).prefixes.map(\.description)
    }

    @Test func mergesDuplicatesContainedAndAdjacentPrefixes() throws {
        #expect(try Self.set(["10.0.0.0/24", "10.0.0.0/24"]) == ["10.0.0.0/24"])
        #expect(try Self.set(["10.0.0.0/16", "10.0.5.0/24", "10.0.0.0/8"]) == ["10.0.0.0/8"])
        #expect(try Self.set(["10.0.0.0/25", "10.0.0.128/25"]) == ["10.0.0.0/24"])
        // Four quarters cascade into one /24; a neighbour that is not a sibling stays apart.
        #expect(try Self.set(["10.0.0.192/26", "10.0.0.0/26", "10.0.0.128/26", "10.0.0.64/26", "10.0.1.0/24"])
            == ["10.0.0.0/23"])
        #expect(try Self.set(["10.0.1.0/24", "10.0.2.0/24"]) == ["10.0.1.0/24", "10.0.2.0/24"])
        #expect(try Self.set(["0.0.0.0/1", "128.0.0.0/1"]) == ["0.0.0.0/0"])
        #expect(try Self.set(["198.18.0.1/32", "198.18.0.0/32"]) == ["198.18.0.0/31"])
        #expect(try Self.set(["2001:db8::/33", "2001:db8:8000::/33", "::1/128", "::/128"])
            == ["::/127", "2001:db8::/32"])
        #expect(try Self.set(["2001:db8::/32", "10.0.0.0/8"]) == ["10.0.0.0/8", "2001:db8::/32"], "IPv4 first")
    }

    @Test func subtractsExclusionsIntoTheFewestPieces() throws {
        let all = PrefixSet([try IPPrefix("203.0.113.0/24")])
        let rest = all.subtracting(PrefixSet([try IPPrefix("203.0.113.128/25")]))
        #expect(rest.prefixes.map(\.description) == ["203.0.113.0/25"])
        let hole = all.subtracting(PrefixSet([try IPPrefix("203.0.113.7/32")]))
        #expect(hole.prefixes.count == 8)
        #expect(!hole.covers(try IPPrefix("203.0.113.7/32")))
        #expect(hole.covers(try IPPrefix("203.0.113.6/32")))
        #expect(all.subtracting(PrefixSet([try IPPrefix("0.0.0.0/0")])).isEmpty)
        #expect(all.subtracting(PrefixSet([try IPPrefix("::/0")])) == all, "another family removes nothing")
    }

    /// Random prefixes inside one /24, merged and subtracted, against the addresses enumerated one by one.
    @Test(arguments: 0..<200)
    func mergingAndSubtractingKeepExactlyTheSameAddresses(_ seed: Int) throws {
        var generator = SplitMix(seed: UInt64(seed))
        func randomPrefixes(_ count: Int) -> [IPPrefix] {
            (0..<count).map { _ in
                let length = 24 + Int(generator.next() % 9)
                let host = UInt64(generator.next() % 256)
                return IPPrefix(family: .ipv4, address: AddressBits(high: (0xC612_0000 | host) << 32, low: 0), length: length)
            }
        }
        let included = randomPrefixes(Int(generator.next() % 12))
        let excluded = randomPrefixes(Int(generator.next() % 4))
        let result = PrefixSet(included).subtracting(PrefixSet(excluded))
        func inAny(_ address: UInt64, _ list: [IPPrefix]) -> Bool {
            list.contains { prefix in
                let shift = UInt64(32 - prefix.length)
                return (address >> shift) == ((prefix.address.high >> 32) >> shift)
            }
        }
        for host in UInt64(0)..<256 {
            let address = 0xC612_0000 | host
            #expect(inAny(address, result.prefixes) == (inAny(address, included) && !inAny(address, excluded)),
                    "198.18.0.\(host)")
        }
        // Merged means: no two prefixes overlap and no two are siblings.
        for (a, b) in zip(result.prefixes, result.prefixes.dropFirst()) {
            #expect(!a.contains(b) && a.sibling != b)
        }
    }
}

/// A small deterministic generator for test inputs (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
