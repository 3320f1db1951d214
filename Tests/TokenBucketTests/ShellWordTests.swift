import Testing
import TokenBucket

/// Printed command lines quote device names, so that a pasted dry run runs nothing else.
struct ShellWordTests {
    @Test(arguments: [
        ("eth0", "eth0"), ("ifb-eth0", "ifb-eth0"), ("x$(id)", "'x$(id)'"), ("a;b", "'a;b'"), ("it's", "'it'\\''s'"),
        ("`id`", "'`id`'"), ("", "''"), ("a b", "'a b'"), ("*", "'*'"),
    ])
    func quoting(word: String, expected: String) {
        #expect(ShellWord.quoted(word) == expected)
    }

    @Test func tcCommandLinesQuoteTheDevice() throws {
        let tbf = try TBFParameters(TBFRequest(bitsPerSecond: 10_000_000), mode: .safe)
        #expect(TcCommandLine.tbf(tbf, device: "x$(id)").contains("dev 'x$(id)' root"))
        let htb = try HTBClassParameters(HTBRequest(bitsPerSecond: 10_000_000), mode: .safe)
        #expect(TcCommandLine.htb(htb, device: "x$(id)").allSatisfy { $0.contains("dev 'x$(id)' ") })
    }
}
