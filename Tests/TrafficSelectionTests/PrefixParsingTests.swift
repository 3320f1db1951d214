import Testing
import TrafficSelection

struct PrefixParsingTests {
    @Test(arguments: [
        ("203.0.113.0/24", "203.0.113.0/24"), ("0.0.0.0/0", "0.0.0.0/0"), ("198.18.0.1", "198.18.0.1/32"),
        ("255.255.255.255/32", "255.255.255.255/32"), ("2001:db8::/32", "2001:db8::/32"),
        ("2001:DB8:0:0:0:0:0:0/32", "2001:db8::/32"), ("::/0", "::/0"), ("::1", "::1/128"),
        ("2001:db8:0:0:1:0:0:1/128", "2001:db8::1:0:0:1/128"), ("2001:0:0:1::/64", "2001:0:0:1::/64"),
        ("fe80::/10", "fe80::/10"), ("::ffff:198.18.0.0/120", "::ffff:c612:0/120"),
        ("2603:1000:4::/47", "2603:1000:4::/47"), ("1:2:3:4:5:6:7:8/128", "1:2:3:4:5:6:7:8/128"),
    ])
    func readsAndWritesCanonically(_ text: String, _ canonical: String) throws {
        let prefix = try IPPrefix(text)
        #expect(prefix.description == canonical)
        #expect(try IPPrefix(prefix.description) == prefix)
    }

    @Test(arguments: [
        ("203.0.113.5/24", "did you mean 203.0.113.0/24"), ("203.0.113.0/33", "bad prefix length"),
        ("203.0.113.0/", "bad prefix length"), ("203.0.113.0/+8", "bad prefix length"), ("203.0.113.0/08", "bad prefix length"),
        ("203.0.113/24", "not an IPv4"), ("203.0.113.256/32", "not an IPv4"), ("203.000.113.0/24", "not an IPv4"),
        ("", "not an IPv4"), ("x", "not an IPv4"), ("2001:db8:::/48", "not an IPv6"), ("2001:db8::1::/64", "not an IPv6"),
        ("2001:db8:1/48", "not an IPv6"), (":2001:db8::/32", "not an IPv6"), ("2001:db8::/129", "bad prefix length"),
        ("2001:db8::1/32", "did you mean 2001:db8::/32"), ("1:2:3:4:5:6:7:8:9/128", "not an IPv6"),
        ("12345::/16", "not an IPv6"), ("fe80::1%eth0/64", "not an IPv6"), ("٣.0.0.0/8", "not an IPv4"),
    ])
    func refusesMalformedPrefixes(_ text: String, _ message: String) {
        #expect {
            _ = try IPPrefix(text)
        } throws: { error in
            (error as? PrefixError)?.message.contains(message) == true
        }
    }

    @Test func containmentFollowsTheLength() throws {
        let wide = try IPPrefix("10.0.0.0/8")
        #expect(wide.contains(try IPPrefix("10.20.0.0/16")))
        #expect(!wide.contains(try IPPrefix("11.0.0.0/16")))
        #expect(!(try IPPrefix("10.20.0.0/16")).contains(wide))
        #expect(!(try IPPrefix("::/0")).contains(wide), "families never contain each other")
        #expect(try IPPrefix("10.0.0.0/9").sibling == IPPrefix("10.128.0.0/9"))
        #expect(try IPPrefix("2001:db8::/33").parent == IPPrefix("2001:db8::/32"))
    }
}
