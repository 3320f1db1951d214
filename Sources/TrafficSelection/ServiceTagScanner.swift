/// One pass over a service-tags file's bytes that reads the usual file without building a JSON tree.
///
/// It checks the whole document at least as strictly as ``JSONDocumentReader`` does (strings, escapes, UTF-8,
/// numbers, literals, nesting depth) and keeps only what ``ServiceTagFile`` needs: `cloud`, `changeNumber`,
/// and each tag's name, region, system service and prefixes, the prefixes read straight from the bytes by
/// ``PrefixFastParser``.
///
/// It never reports a problem. Whenever anything is unusual — an escape or a non-ASCII byte in a member name, an escape in a value it keeps, a member written twice, a member of the wrong
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

    /// The whole file.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Where the scan is.
    var index = 0
    /// One tag's prefixes while they are read, reused from tag to tag: growing each tag's array as it is read
    /// would copy and page-fault in the large tags' storage several times over.
    private var scratch: [IPPrefix] = []
    /// The member names of the objects open now, innermost last, so that a name written twice in one object
    /// declines (the full reader refuses it); one stack for all objects, so that no object allocates.
    var memberNames: [Range<Int>] = []

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
        let names = memberNames.count
        repeat {
            let name = try memberName(since: names)
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
        // A sizing hint only: Microsoft's files take 1.1 … 1.4 KB a tag, so neither regrows on them.
        tags.reserveCapacity(bytes.count / 1_024)
        index.reserveCapacity(bytes.count / 1_024)
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
        let names = memberNames.count
        defer { memberNames.removeSubrange(names...) }
        repeat {
            let member = try memberName(since: names)
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
        let names = memberNames.count
        defer { memberNames.removeSubrange(names...) }
        repeat {
            let member = try memberName(since: names)
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
            if let prefix = quotedIPv4() ?? quotedIPv6() {
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
        guard let length = quotedLength(at: &at, maximum: 32) else { return nil }
        let bits = AddressBits(high: UInt64(address) << 32, low: 0)
        let prefix = IPPrefix(family: .ipv4, address: bits, length: length)
        guard prefix.address == bits else { return nil }
        index = at + 1
        return prefix
    }

    /// The common `"X:X::X/N"` found in one pass (its address then read by ``PrefixFastParser/ipv6(_:)``), past
    /// which it moves; nil (not moving) for anything else. It gives what ``PrefixFastParser`` gives for the
    /// same text: hex digits and colons up to the one `/`, a length 0 … 128 without a leading zero, no host bits.
    @inline(__always)
    private mutating func quotedIPv6() -> IPPrefix? {
        let bytes = self.bytes
        let start = index + 1
        var at = start
        var sawColon = false
        while at < bytes.count {
            let byte = bytes[at]
            if byte == UInt8(ascii: ":") {
                sawColon = true
            } else if !(byte >= 0x30 && byte <= 0x39) && !(byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66) {
                break
            }
            at += 1
        }
        guard sawColon, at < bytes.count, bytes[at] == UInt8(ascii: "/") else { return nil }
        let slash = at
        at += 1
        guard let length = quotedLength(at: &at, maximum: 128),
            let bits = PrefixFastParser.ipv6(UnsafeBufferPointer(rebasing: bytes[start..<slash]))
        else { return nil }
        let prefix = IPPrefix(family: .ipv6, address: bits, length: length)
        guard prefix.address == bits else { return nil }
        index = at + 1
        return prefix
    }

    /// A prefix length at `at` (0 … `maximum` in decimal without a leading zero) followed by the closing quote,
    /// with `at` left on that quote; nil for anything else.
    @inline(__always)
    private func quotedLength(at: inout Int, maximum: Int) -> Int? {
        let bytes = self.bytes
        let maximumDigits = maximum >= 100 ? 3 : 2
        var length = 0
        let first = at
        while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39, at - first < maximumDigits {
            length = length &* 10 &+ Int(bytes[at] &- 0x30)
            at += 1
        }
        let digits = at - first
        guard digits > 0, length <= maximum, digits == 1 || bytes[first] != 0x30, at < bytes.count,
            bytes[at] == UInt8(ascii: "\"")
        else { return nil }
        return length
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
    func text(_ range: Range<Int>) throws(Declined) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        // ASCII is valid UTF-8, and `decoding` has a fast path for it that `validating` lacks.
        if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice, as: UTF8.self) }
        guard let text = String(validating: slice, as: UTF8.self) else { throw Declined() }
        return text
    }

    /// True when the bytes at `range` spell `name` (ASCII).
    @inline(__always)
    func matches(_ range: Range<Int>, _ name: StaticString) -> Bool {
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
