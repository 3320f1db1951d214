/// The JSON syntax of ``ServiceTagScanner``, at least as strict as ``JSONDocumentReader``: anything that reader
/// refuses, these decline.
extension ServiceTagScanner {
    /// Whitespace; a tag file's indentation is long runs of spaces, taken eight at a time.
    @inline(__always)
    mutating func skipSpace() {
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
    func peek() throws(Declined) -> UInt8 {
        guard index < bytes.count else { throw Declined() }
        return bytes[index]
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(Declined) {
        guard index < bytes.count, bytes[index] == byte else { throw Declined() }
        index += 1
    }

    /// Enters an object or array that sits at nesting `depth` (the root is 1); true when it is empty.
    @inline(__always)
    mutating func open(_ opener: UInt8, _ closer: UInt8, depth: Int) throws(Declined) -> Bool {
        guard depth <= JSONDocumentReader.maximumDepth else { throw Declined() }
        try expect(opener)
        skipSpace()
        guard index < bytes.count, bytes[index] == closer else { return false }
        index += 1
        return true
    }

    /// After a member or element: true when a comma says another follows, false at `closer`.
    @inline(__always)
    mutating func another(_ closer: UInt8) throws(Declined) -> Bool {
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

    /// A member name and its colon: plain ASCII only, so that byte equality is the full reader's `String`
    /// equality. A name already in `memberNames` from index `since` on (the same object) declines.
    @inline(__always)
    mutating func memberName(since base: Int) throws(Declined) -> Range<Int> {
        let range = try plainString(asciiOnly: true)
        var other = base
        while other < memberNames.count {
            if sameBytes(memberNames[other], range) { throw Declined() }
            other += 1
        }
        memberNames.append(range)
        skipSpace()
        try expect(UInt8(ascii: ":"))
        skipSpace()
        return range
    }

    /// True when the bytes at `a` and at `b` are the same.
    @inline(__always)
    func sameBytes(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        var offset = 0
        while offset < a.count {
            guard bytes[a.lowerBound + offset] == bytes[b.lowerBound + offset] else { return false }
            offset += 1
        }
        return true
    }

    /// A string without escapes; the range of its content. An escape (or, with `asciiOnly`, a byte past ASCII)
    /// declines; so does a control character or a missing closing quote, as in the full reader.
    @inline(__always)
    mutating func plainString(asciiOnly: Bool) throws(Declined) -> Range<Int> {
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
    mutating func skipValue(depth: Int) throws(Declined) {
        switch try peek() {
        case UInt8(ascii: "{"):
            if try open(UInt8(ascii: "{"), UInt8(ascii: "}"), depth: depth + 1) { return }
            let names = memberNames.count
            defer { memberNames.removeSubrange(names...) }
            repeat {
                _ = try memberName(since: names)
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

    mutating func literal(_ word: StaticString) throws(Declined) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count, matches(index..<index + count, word) else { throw Declined() }
        index += count
    }

    /// A number in RFC 8259's grammar (no leading zero, digits after `.` and in the exponent); its range.
    mutating func number() throws(Declined) -> Range<Int> {
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

    mutating func digits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        return index - start
    }

    /// A string passed over: escapes checked as the full reader decodes them, bytes past ASCII checked as UTF-8.
    /// Both in one string declines (the full reader checks the decoded bytes; rare enough not to mirror).
    mutating func skipString() throws(Declined) {
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
    mutating func escape() throws(Declined) {
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

    mutating func hex4() throws(Declined) -> UInt32 {
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
