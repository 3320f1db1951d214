/// Reads and writes IPv4 and IPv6 addresses and prefixes, strictly: no leading zeros in IPv4 octets, no
/// zone ids, at most one `::`, host bits clear.
enum PrefixParser {
    static func parse(_ text: Substring) throws(PrefixError) -> IPPrefix {
        if let quick = PrefixFastParser.parse(text) { return quick }
        return try parseCarefully(text)
    }

    /// The reference reader, with a message for every way a prefix can be wrong.
    static func parseCarefully(_ text: Substring) throws(PrefixError) -> IPPrefix {
        if text.contains(",") {
            throw PrefixError("\"\(text)\" holds a comma: give each prefix as an item of its own "
                + "(in YAML [\"203.0.113.0/24\", \"2001:db8::/48\"]; a flag may be comma-separated)")
        }
        if text.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
            throw PrefixError("\"\(text)\" holds a space or other blank: write the prefix alone")
        }
        let slash = text.firstIndex(of: "/")
        let addressText = slash.map { text[..<$0] } ?? text
        let (family, address) = try AddressText.parse(addressText, whole: text)
        var length = family.bitWidth
        if let slash {
            let digits = text[text.index(after: slash)...]
            guard !digits.isEmpty, digits.count <= 3, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                let value = Int(digits), value <= family.bitWidth, digits == "\(value)"
            else {
                throw PrefixError("\"\(text)\" has a bad prefix length: give 0 … \(family.bitWidth) after the \"/\"")
            }
            length = value
        }
        let prefix = IPPrefix(family: family, address: address, length: length)
        guard prefix.address == address else {
            throw PrefixError("\"\(text)\" has host bits set after the first \(length): did you mean \(prefix)?")
        }
        return prefix
    }
}

enum AddressText {
    static func parse(_ text: Substring, whole: Substring) throws(PrefixError) -> (AddressFamily, AddressBits) {
        if text.contains(":") {
            guard let bits = ipv6(text) else { throw PrefixError("\"\(whole)\" is not an IPv6 address or prefix") }
            return (.ipv6, bits)
        }
        guard let value = ipv4(text) else {
            throw PrefixError("\"\(whole)\" is not an IPv4 or IPv6 address or prefix (like 203.0.113.0/24 or 2001:db8::/32)")
        }
        return (.ipv4, AddressBits(high: UInt64(value) << 32, low: 0))
    }

    /// `A.B.C.D` with each part 0 … 255 in plain decimal.
    static func ipv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                part.count == 1 || part.first != "0", let octet = UInt32(part), octet <= 255
            else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func ipv6(_ text: Substring) -> AddressBits? {
        var groups: [UInt16] = []
        var gapAt: Int?
        var rest = text
        if rest.hasPrefix("::") {
            gapAt = 0
            rest = rest.dropFirst(2)
        } else if rest.hasPrefix(":") {
            return nil
        }
        while !rest.isEmpty {
            let end = rest.firstIndex(of: ":") ?? rest.endIndex
            let group = rest[..<end]
            if group.contains(".") {
                // An embedded IPv4 address ends the text: ::ffff:192.0.2.1.
                guard end == rest.endIndex, let v4 = ipv4(group) else { return nil }
                groups += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                rest = rest[end...]
                break
            }
            guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16),
                group.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) })
            else { return nil }
            groups.append(value)
            rest = rest[end...]
            if rest.hasPrefix("::") {
                guard gapAt == nil else { return nil }
                gapAt = groups.count
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix(":") {
                rest = rest.dropFirst()
                if rest.isEmpty { return nil }
            }
        }
        if let gapAt {
            guard groups.count <= 7 else { return nil }
            groups.insert(contentsOf: repeatElement(0, count: 8 - groups.count), at: gapAt)
        }
        guard groups.count == 8 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, group) in groups.enumerated() {
            if index < 4 { high = high << 16 | UInt64(group) } else { low = low << 16 | UInt64(group) }
        }
        return AddressBits(high: high, low: low)
    }

    static func format(_ bits: AddressBits, family: AddressFamily) -> String {
        if family == .ipv4 {
            return (0..<4).map { String(bits.byte($0)) }.joined(separator: ".")
        }
        let groups = (0..<8).map { UInt16(truncatingIfNeeded: ($0 < 4 ? bits.high : bits.low) >> UInt64(48 - 16 * ($0 % 4))) }
        // RFC 5952: the longest run (first if tied) of two or more zero groups becomes "::".
        var best = (start: -1, count: 0)
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index > best.count && end - index >= 2 { best = (index, end - index) }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.start >= 0 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.count)...].joined(separator: ":")
        return head + "::" + tail
    }
}
