/// Hand-made TZif files (RFC 8536), built field by field so each test states exactly what the file holds.
struct TZifFixture {
    /// The version byte: 0 for version 1, or `"2"`, `"3"`, `"4"`.
    var version: UInt8 = UInt8(ascii: "2")
    /// Transition instants and the index of the type each switches to.
    var transitions: [(at: Int64, type: UInt8)] = []
    /// UT offset, daylight-saving flag, index into `abbreviations`.
    var types: [(offset: Int32, isDaylightSaving: Bool, abbreviation: UInt8)] = [(0, false, 0)]
    /// NUL-separated abbreviations, such as `"LMT\0CET\0CEST\0"`.
    var abbreviations = "UTC\0"
    /// The footer rule (version 2+), written between newlines; `nil` writes no footer at all.
    var footer: String? = ""
    var leapCount = 0

    var bytes: [UInt8] {
        guard version != 0 else {
            return header(
                timeCount: transitions.count, typeCount: types.count,
                characterCount: abbreviations.utf8.count) + block(timeSize: 4)
        }
        // A version 1 block that a version 2 reader must skip: one type, offset 999, called "BAD".
        var out = header(timeCount: 0, typeCount: 1, characterCount: 4, leaps: 0, indicators: 0)
        out += Self.big(999, 4) + [0, 0] + Array("BAD\0".utf8)
        out += header(timeCount: transitions.count, typeCount: types.count, characterCount: abbreviations.utf8.count)
        out += block(timeSize: 8)
        if let footer { out += [10] + Array(footer.utf8) + [10] }
        return out
    }

    /// Bytes up to the end of the version 2+ data block, before the footer.
    var lengthWithoutFooter: Int { bytes.count - (footer.map { $0.utf8.count + 2 } ?? 0) }

    private func header(timeCount: Int, typeCount: Int, characterCount: Int, leaps: Int? = nil, indicators: Int? = nil)
        -> [UInt8]
    {
        let flags = indicators ?? typeCount
        var out = Array("TZif".utf8) + [version] + Array(repeating: 0, count: 15)
        for count in [flags, flags, leaps ?? leapCount, timeCount, typeCount, characterCount] {
            out += Self.big(Int64(count), 4)
        }
        return out
    }

    private func block(timeSize: Int) -> [UInt8] {
        var out: [UInt8] = []
        for transition in transitions { out += Self.big(transition.at, timeSize) }
        out += transitions.map(\.type)
        for type in types {
            out += Self.big(Int64(type.offset), 4) + [type.isDaylightSaving ? 1 : 0, type.abbreviation]
        }
        out += Array(abbreviations.utf8)
        for index in 0..<leapCount {
            out += Self.big(Int64(78_796_800 + index), timeSize) + Self.big(Int64(index + 1), 4)
        }
        out += Array(repeating: 0, count: types.count * 2)  // standard/wall and UT/local indicators
        return out
    }

    /// `value` as `size` big-endian two's-complement bytes.
    static func big(_ value: Int64, _ size: Int) -> [UInt8] {
        (0..<size).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
