/// The parts of a TZif file (RFC 8536) that map instants to local time: transitions, their local time types,
/// and the footer rule for instants after the last transition.
struct TZifContents: Hashable, Sendable {
    /// 1, 2, 3 or 4 (the header's version byte: NUL, `2`, `3`, `4`).
    var version: Int
    /// Transition instants, strictly ascending.
    var transitions: [Int]
    /// For each transition, the index into `types` it switches to.
    var typeIndices: [Int]
    /// The local time types; type 0 is in force before the first transition.
    var types: [LocalTimeType]
    /// The footer's POSIX rule (version 2 and later), `nil` when absent or empty.
    var footer: PosixTimeZoneRule?
}

/// Reads TZif files, versions 1 to 4: the 64-bit data block for version 2 and later, the 32-bit one otherwise.
enum TZifReader {
    /// Parses `bytes`.
    /// - Throws: ``ValueError`` saying what is malformed (short data, bad counts, a bad footer, leap seconds).
    static func parse(_ bytes: [UInt8]) throws(ValueError) -> TZifContents {
        var cursor = Cursor(bytes: bytes)
        let first = try cursor.header()
        guard first.version >= 2 else { return try cursor.block(first, timeSize: 4) }
        // Skip the version 1 block: version 2+ readers use the 64-bit block that follows it.
        try cursor.skip(first.length(timeSize: 4))
        let second = try cursor.header()
        var contents = try cursor.block(second, timeSize: 8)
        contents.version = second.version
        contents.footer = try cursor.footer()
        return contents
    }
}

/// The six counts of a TZif header.
private struct TZifHeader {
    var version: Int
    var isUTCCount, isStandardCount, leapCount, timeCount, typeCount, characterCount: Int

    /// Bytes in the data block that follows this header.
    func length(timeSize: Int) -> Int {
        timeCount * (timeSize + 1) + typeCount * 6 + characterCount + leapCount * (timeSize + 4)
            + isStandardCount + isUTCCount
    }
}

private struct Cursor {
    let bytes: [UInt8]
    var index = 0

    func failure(_ problem: String) -> ValueError { ValueError("not a valid TZif file: \(problem)") }

    mutating func take(_ count: Int) throws(ValueError) -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count - index >= count else { throw failure("the data ends early") }
        defer { index += count }
        return bytes[index..<(index + count)]
    }

    mutating func skip(_ count: Int) throws(ValueError) { _ = try take(count) }

    mutating func integer(_ size: Int) throws(ValueError) -> Int {
        let slice = try take(size)
        var value: UInt64 = 0
        for byte in slice { value = value << 8 | UInt64(byte) }
        // Big-endian two's complement of `size` bytes.
        let shift = UInt64(64 - size * 8)
        return Int(Int64(bitPattern: value << shift) >> Int64(shift))
    }

    mutating func header() throws(ValueError) -> TZifHeader {
        guard Array(try take(4)) == Array("TZif".utf8) else { throw failure("it does not start with \"TZif\"") }
        let versionByte = try take(1).first!
        let version: Int
        switch versionByte {
        case 0: version = 1
        case UInt8(ascii: "2")...UInt8(ascii: "4"): version = Int(versionByte - 48)
        default: throw failure("unknown version byte \(versionByte)")
        }
        try skip(15)
        var counts: [Int] = []
        for _ in 0..<6 { counts.append(try integer(4) & 0xFFFF_FFFF) }
        let header = TZifHeader(
            version: version, isUTCCount: counts[0], isStandardCount: counts[1], leapCount: counts[2],
            timeCount: counts[3], typeCount: counts[4], characterCount: counts[5])
        guard header.typeCount >= 1, header.characterCount >= 1 else {
            throw failure("it has no local time types or no abbreviations")
        }
        guard [0, header.typeCount].contains(header.isUTCCount), [0, header.typeCount].contains(header.isStandardCount)
        else { throw failure("the UT/local and standard/wall indicator counts do not match the type count") }
        guard header.length(timeSize: 4) <= bytes.count - index else { throw failure("the data ends early") }
        return header
    }

    mutating func block(_ header: TZifHeader, timeSize: Int) throws(ValueError) -> TZifContents {
        var transitions: [Int] = []
        for _ in 0..<header.timeCount {
            let time = try integer(timeSize)
            guard transitions.last.map({ $0 < time }) ?? true else { throw failure("transitions are not in order") }
            transitions.append(time)
        }
        var typeIndices: [Int] = []
        for _ in 0..<header.timeCount {
            let type = try integer(1) & 0xFF
            guard type < header.typeCount else { throw failure("a transition names local time type \(type)") }
            typeIndices.append(type)
        }
        var raw: [(offset: Int, isDaylightSaving: Bool, abbreviationIndex: Int)] = []
        for _ in 0..<header.typeCount {
            let offset = try integer(4)
            // RFC 8536 §3.2: −2³¹ is forbidden; real offsets lie well within −25 h … +26 h.
            guard (-89_999...93_599).contains(offset) else { throw failure("a UT offset of \(offset) s") }
            let isDaylightSaving = try integer(1) & 0xFF
            guard isDaylightSaving <= 1 else { throw failure("a daylight-saving flag of \(isDaylightSaving)") }
            raw.append((offset, isDaylightSaving == 1, try integer(1) & 0xFF))
        }
        let characters = Array(try take(header.characterCount))
        var types: [LocalTimeType] = []
        for entry in raw {
            guard entry.abbreviationIndex < characters.count else {
                throw failure("an abbreviation index is too large")
            }
            let rest = characters[entry.abbreviationIndex...]
            guard let end = rest.firstIndex(of: 0) else { throw failure("an abbreviation is not NUL-terminated") }
            let abbreviation = String(decoding: rest[..<end], as: UTF8.self)
            types.append(
                LocalTimeType(
                    offset: entry.offset, abbreviation: abbreviation,
                    isDaylightSaving: entry.isDaylightSaving))
        }
        // Unix instants do not count leap seconds; a file that does ("right/…") would put every time off.
        guard header.leapCount == 0 else {
            throw failure("it counts leap seconds (a \"right/\" zone); use the zone of the same name without it")
        }
        try skip(header.isStandardCount + header.isUTCCount)
        return TZifContents(
            version: header.version, transitions: transitions, typeIndices: typeIndices,
            types: types, footer: nil)
    }

    /// `\n` rule `\n` after the version 2+ data block; an empty rule means none.
    mutating func footer() throws(ValueError) -> PosixTimeZoneRule? {
        guard index < bytes.count else { return nil }
        guard bytes[index] == 10 else { throw failure("the footer does not start with a newline") }
        guard let end = bytes[(index + 1)...].firstIndex(of: 10) else {
            throw failure("the footer does not end with a newline")
        }
        let text = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
        index = end + 1
        guard !text.isEmpty else { return nil }
        do throws(ValueError) {
            return try PosixTimeZoneRule(parsing: text)
        } catch {
            throw failure("its footer: \(error.message)")
        }
    }
}
