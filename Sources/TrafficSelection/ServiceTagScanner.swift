/// One pass over a service-tags file's bytes that reads the usual file without building a JSON tree.
///
/// It checks the whole document at least as strictly as ``JSONDocumentReader`` does (strings, escapes, UTF-8,
/// numbers, literals, nesting depth) and keeps only what ``ServiceTagFile`` needs: `cloud`, `changeNumber`,
/// and each tag's name, region, system service and prefixes, the prefixes read straight from the bytes by
/// ``PrefixFastParser``.
///
/// It never reports a problem. Whenever anything is unusual — an escape or a non-ASCII byte in a member name
/// of an object it looks into, an escape in a value it keeps, a member written twice, a member of the wrong
/// type, a prefix the fast parser leaves to the careful one, a tag named twice, or any syntax error — it
/// declines, and ``ServiceTagFile/parse(_:path:)`` reads the file the full way, which has every message and
/// position. So whenever it answers, it answers exactly what the full reader would.
struct ServiceTagScanner {
    /// What the scan kept: the parts of a ``ServiceTagFile``.
    struct Contents {
        var cloud: String
        var changeNumber: String
        var tags: [ServiceTag]
        var index: [String: Int]
    }

    /// The scan gave up; the full reader decides.
    struct Declined: Error {}

    /// The contents of `bytes`, or nil when the full reader must read them.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Contents? {
        var scanner = ServiceTagScanner(bytes: bytes)
        return try? scanner.file()
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// One tag's prefixes while they are read, reused from tag to tag: growing each tag's array as it is read
    /// would copy and page-fault in the large tags' storage several times over.
    private var scratch: [IPPrefix] = []

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // Room for the largest tag of today's Public file (AzureCloud, 13,080) without regrowing; pages are
        // touched (and faulted in) only as far as a tag fills them.
        scratch.reserveCapacity(min(bytes.count / 8, 16_384))
    }

    // MARK: The parts of a tag file

    /// The root object: `values`, `cloud` and `changeNumber` kept, every other member checked and passed over.
    private mutating func file() throws(Declined) -> Contents {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipSpace()
        var cloud: String?
        var change: String?
        var values: (tags: [ServiceTag], index: [String: Int])?
        if try open(UInt8(ascii: "{"), UInt8(ascii: "}"), depth: 1) { throw Declined() }
        repeat {
            let name = try memberName()
            if matches(name, "values") {
                guard values == nil else { throw Declined() }
                values = try tagList()
            } else if matches(name, "cloud") {
                guard cloud == nil else { throw Declined() }
                cloud = try stringOrEmpty(depth: 1)
            } else if matches(name, "changeNumber") {
                guard change == nil else { throw Declined() }
                change = try changeNumber()
            } else {
                try skipValue(depth: 1)
            }
        } while try another(UInt8(ascii: "}"))
        skipSpace()
        guard index == bytes.count, let values else { throw Declined() }
        return Contents(cloud: cloud ?? "", changeNumber: change ?? "", tags: values.tags, index: values.index)
    }

    /// `changeNumber`: a number's text as written, a string, or empty for anything else.
    private mutating func changeNumber() throws(Declined) -> String {
        let first = try peek()
        guard first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else { return try stringOrEmpty(depth: 1) }
        return try text(number())
    }

    /// `values`: the tags in file order, with the index by name. A tag named twice declines.
    private mutating func tagList() throws(Declined) -> (tags: [ServiceTag], index: [String: Int]) {
        var tags: [ServiceTag] = []
        var index: [String: Int] = [:]
        if try open(UInt8(ascii: "["), UInt8(ascii: "]"), depth: 2) { return (tags, index) }
        repeat {
            let tag = try tag()
            // A name seen before declines (the index is thrown away then, so overwriting it does no harm).
            guard index.updateValue(tags.count, forKey: tag.name) == nil else { throw Declined() }
            tags.append(tag)
        } while try another(UInt8(ascii: "]"))
        return (tags, index)
    }

    /// One entry of `values`: a non-empty `name` and a `properties` object with `addressPrefixes`.
    private mutating func tag() throws(Declined) -> ServiceTag {
        var name: String?
        var nameOffset = 0
        var properties: (region: String, systemService: String, prefixes: [IPPrefix])?
        if try open(UInt8(ascii: "{"), UInt8(ascii: "}"), depth: 3) { throw Declined() }
        repeat {
            let member = try memberName()
            if matches(member, "name") {
                guard name == nil, try peek() == UInt8(ascii: "\"") else { throw Declined() }
                nameOffset = index
                let range = try plainString(asciiOnly: false)
                guard !range.isEmpty else { throw Declined() }
                name = try text(range)
            } else if matches(member, "properties") {
                guard properties == nil else { throw Declined() }
                properties = try tagProperties()
            } else {
                try skipValue(depth: 3)
            }
        } while try another(UInt8(ascii: "}"))
        guard let name, let properties else { throw Declined() }
        return ServiceTag(name: name, region: properties.region, systemService: properties.systemService,
                          prefixes: properties.prefixes, nameOffset: nameOffset)
    }

    /// A tag's `properties`: `region` and `systemService` (empty unless strings) and `addressPrefixes`.
    private mutating func tagProperties() throws(Declined) -> (region: String, systemService: String, prefixes: [IPPrefix]) {
        var region: String?
        var systemService: String?
        var prefixes: [IPPrefix]?
        if try open(UInt8(ascii: "{"), UInt8(ascii: "}"), depth: 4) { throw Declined() }
        repeat {
            let member = try memberName()
            if matches(member, "addressPrefixes") {
                guard prefixes == nil else { throw Declined() }
                prefixes = try prefixList()
            } else if matches(member, "region") {
                guard region == nil else { throw Declined() }
                region = try stringOrEmpty(depth: 4)
            } else if matches(member, "systemService") {
                guard systemService == nil else { throw Declined() }
                systemService = try stringOrEmpty(depth: 4)
            } else {
                try skipValue(depth: 4)
            }
        } while try another(UInt8(ascii: "}"))
        guard let prefixes else { throw Declined() }
        return (region ?? "", systemService ?? "", prefixes)
    }

    /// `addressPrefixes`: every entry a plain string that ``PrefixFastParser`` reads.
    private mutating func prefixList() throws(Declined) -> [IPPrefix] {
        if try open(UInt8(ascii: "["), UInt8(ascii: "]"), depth: 5) { return [] }
        // Out of `self` while it fills, so that appending does not go through `self` each time.
        var list = scratch
        scratch = []
        list.removeAll(keepingCapacity: true)
        defer { scratch = list }
        repeat {
            guard try peek() == UInt8(ascii: "\"") else { throw Declined() }
            if let prefix = quotedIPv4() {
                list.append(prefix)
                continue
            }
            let range = try plainString(asciiOnly: true)
            guard let prefix = PrefixFastParser.parse(bytes: UnsafeBufferPointer(rebasing: bytes[range])) else {
                throw Declined()
            }
            list.append(prefix)
        } while try another(UInt8(ascii: "]"))
        // A copy of exactly this tag's prefixes (`Array(list)` would share the scratch's storage and capacity).
        return list.withUnsafeBufferPointer { Array($0) }
    }

    /// The common `"A.B.C.D/N"` read in the same pass that finds its closing quote, past which it moves; nil (not
    /// moving) for anything else, which ``PrefixFastParser`` then reads. It accepts a subset of what that
    /// parser accepts (octets 0 … 255 without leading zeros, a length 0 … 32 without one, no host bits), and
    /// gives the same prefix.
    @inline(__always)
    private mutating func quotedIPv4() -> IPPrefix? {
        let bytes = self.bytes
        var at = index + 1
        var address: UInt32 = 0
        for octetNumber in 0..<4 {
            var octet: UInt32 = 0
            let first = at
            while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39, at - first < 3 {
                octet = octet &* 10 &+ UInt32(bytes[at] &- 0x30)
                at += 1
            }
            let digits = at - first
            guard digits > 0, octet <= 255, digits == 1 || bytes[first] != 0x30, at < bytes.count else { return nil }
            guard bytes[at] == (octetNumber == 3 ? UInt8(ascii: "/") : UInt8(ascii: ".")) else { return nil }
            address = address << 8 | octet
            at += 1
        }
        var length = 0
        let first = at
        while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39, at - first < 2 {
            length = length &* 10 &+ Int(bytes[at] &- 0x30)
            at += 1
        }
        let digits = at - first
        guard digits > 0, length <= 32, digits == 1 || bytes[first] != 0x30, at < bytes.count,
            bytes[at] == UInt8(ascii: "\"")
        else { return nil }
        let bits = AddressBits(high: UInt64(address) << 32, low: 0)
        let prefix = IPPrefix(family: .ipv4, address: bits, length: length)
        guard prefix.address == bits else { return nil }
        index = at + 1
        return prefix
    }

    /// A string value without escapes, or empty for a value of any other type (checked and passed over).
    private mutating func stringOrEmpty(depth: Int) throws(Declined) -> String {
        guard try peek() == UInt8(ascii: "\"") else {
            try skipValue(depth: depth)
            return ""
        }
        return try text(plainString(asciiOnly: false))
    }

    /// The bytes at `range` as a string; invalid UTF-8 declines (the full reader has the message).
    private func text(_ range: Range<Int>) throws(Declined) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        // ASCII is valid UTF-8, and `decoding` has a fast path for it that `validating` lacks.
        if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice, as: UTF8.self) }
        guard let text = String(validating: slice, as: UTF8.self) else { throw Declined() }
        return text
    }

    /// True when the bytes at `range` spell `name` (ASCII).
    @inline(__always)
    private func matches(_ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        let spelled = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        var offset = 0
        while offset < range.count {
            guard bytes[range.lowerBound + offset] == spelled[offset] else { return false }
            offset += 1
        }
        return true
    }
}

extension ServiceTagScanner {
    // MARK: JSON syntax, as strict as JSONDocumentReader

    /// Whitespace; a tag file's indentation is long runs of spaces, taken eight at a time.
    @inline(__always)
    private mutating func skipSpace() {
        let bytes = self.bytes
        var at = index
        defer { index = at }
        guard let base = bytes.baseAddress else { return }
        while at < bytes.count {
            if at + 8 <= bytes.count, UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020 {
                at += 8
                continue
            }
            let byte = bytes[at]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            at += 1
        }
    }

    @inline(__always)
    private func peek() throws(Declined) -> UInt8 {
        guard index < bytes.count else { throw Declined() }
        return bytes[index]
    }

    @inline(__always)
    private mutating func expect(_ byte: UInt8) throws(Declined) {
        guard index < bytes.count, bytes[index] == byte else { throw Declined() }
        index += 1
    }

    /// Enters an object or array that sits at nesting `depth` (the root is 1); true when it is empty.
    @inline(__always)
    private mutating func open(_ opener: UInt8, _ closer: UInt8, depth: Int) throws(Declined) -> Bool {
        guard depth <= JSONDocumentReader.maximumDepth else { throw Declined() }
        try expect(opener)
        skipSpace()
        guard index < bytes.count, bytes[index] == closer else { return false }
        index += 1
        return true
    }

    /// After a member or element: true when a comma says another follows, false at `closer`.
    @inline(__always)
    private mutating func another(_ closer: UInt8) throws(Declined) -> Bool {
        skipSpace()
        guard index < bytes.count else { throw Declined() }
        if bytes[index] == UInt8(ascii: ",") {
            index += 1
            skipSpace()
            return true
        }
        guard bytes[index] == closer else { throw Declined() }
        index += 1
        return false
    }

    /// A member name and its colon, in an object whose members are looked up: plain ASCII only, so that byte
    /// equality is the full reader's `String` equality.
    @inline(__always)
    private mutating func memberName() throws(Declined) -> Range<Int> {
        let range = try plainString(asciiOnly: true)
        skipSpace()
        try expect(UInt8(ascii: ":"))
        skipSpace()
        return range
    }

    /// A string without escapes; the range of its content. An escape (or, with `asciiOnly`, a byte past ASCII)
    /// declines; so does a control character or a missing closing quote, as in the full reader.
    @inline(__always)
    private mutating func plainString(asciiOnly: Bool) throws(Declined) -> Range<Int> {
        try expect(UInt8(ascii: "\""))
        let bytes = self.bytes
        let start = index
        var at = index
        while at < bytes.count {
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") {
                index = at + 1
                return start..<at
            }
            guard byte >= 0x20, byte != UInt8(ascii: "\\"), !asciiOnly || byte < 0x80 else { throw Declined() }
            at += 1
        }
        throw Declined()
    }

    /// Any value, checked and passed over; `depth` is the nesting of the object or array that holds it.
    private mutating func skipValue(depth: Int) throws(Declined) {
        switch try peek() {
        case UInt8(ascii: "{"):
            if try open(UInt8(ascii: "{"), UInt8(ascii: "}"), depth: depth + 1) { return }
            repeat {
                try skipString()
                skipSpace()
                try expect(UInt8(ascii: ":"))
                skipSpace()
                try skipValue(depth: depth + 1)
            } while try another(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            if try open(UInt8(ascii: "["), UInt8(ascii: "]"), depth: depth + 1) { return }
            repeat { try skipValue(depth: depth + 1) } while try another(UInt8(ascii: "]"))
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try number()
        default: throw Declined()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Declined) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count, matches(index..<index + count, word) else { throw Declined() }
        index += count
    }

    /// A number in RFC 8259's grammar (no leading zero, digits after `.` and in the exponent); its range.
    private mutating func number() throws(Declined) -> Range<Int> {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integer = digits()
        guard integer > 0, integer == 1 || bytes[integerStart] != 0x30 else { throw Declined() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw Declined() }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw Declined() }
        }
        return start..<index
    }

    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        return index - start
    }

    /// A string passed over: escapes checked as the full reader decodes them, bytes past ASCII checked as UTF-8.
    /// Both in one string declines (the full reader checks the decoded bytes; rare enough not to mirror).
    private mutating func skipString() throws(Declined) {
        try expect(UInt8(ascii: "\""))
        let start = index
        var escaped = false
        var pastASCII = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if pastASCII {
                    guard !escaped else { throw Declined() }
                    _ = try text(start..<index)
                }
                index += 1
                return
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                try escape()
                continue
            }
            guard byte >= 0x20 else { throw Declined() }
            if byte >= 0x80 { pastASCII = true }
            index += 1
        }
        throw Declined()
    }

    /// One escape, from its backslash: `\" \\ \/ \b \f \n \r \t`, or `\uXXXX` with surrogates in pairs.
    private mutating func escape() throws(Declined) {
        index += 1
        guard index < bytes.count else { throw Declined() }
        let kind = bytes[index]
        index += 1
        switch kind {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            let code = try hex4()
            if code >= 0xD800 && code < 0xDC00 {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw Declined() }
                index += 2
                let low = try hex4()
                guard low >= 0xDC00 && low < 0xE000 else { throw Declined() }
            } else if code >= 0xDC00 && code < 0xE000 {
                throw Declined()
            }
        default: throw Declined()
        }
    }

    private mutating func hex4() throws(Declined) -> UInt32 {
        guard index + 4 <= bytes.count else { throw Declined() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x61...0x66: digit = byte - 0x61 + 10
            case 0x41...0x46: digit = byte - 0x41 + 10
            default: throw Declined()
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
