/// Reading the POSIX `TZ` syntax: `std offset [dst [offset] [,start[/time],end[/time]]]`, for example
/// `EST5EDT,M3.2.0,M11.1.0`, `<+0330>-3:30` or `<-03>3<-02>,M3.5.0/-2,M10.5.0/-1`.
extension PosixTimeZoneRule {
    /// Parses a rule; the whole text must be consumed.
    /// - Throws: ``ValueError`` naming what is malformed.
    init(parsing text: String) throws(ValueError) {
        var reader = Reader(bytes: Array(text.utf8), text: text)
        let standardName = try reader.name()
        let standardOffset = try reader.offset(maxHours: 24)
        let standard = LocalTimeType(offset: standardOffset, abbreviation: standardName, isDaylightSaving: false)
        guard !reader.atEnd else {
            self.init(standard: standard, daylightSaving: nil)
            return
        }
        let daylightName = try reader.name()
        var daylightOffset = standardOffset + 3600
        if let byte = reader.peek, byte != UInt8(ascii: ",") {
            daylightOffset = try reader.offset(maxHours: 24)
        }
        let daylight = LocalTimeType(offset: daylightOffset, abbreviation: daylightName, isDaylightSaving: true)
        // Without dates POSIX leaves the rule to the implementation; like glibc, use the US rule.
        var start = Change(day: .monthWeekDay(month: 3, week: 2, weekday: 0), secondsAfterMidnight: 7200)
        var end = Change(day: .monthWeekDay(month: 11, week: 1, weekday: 0), secondsAfterMidnight: 7200)
        if !reader.atEnd {
            try reader.expect(",")
            start = try reader.change()
            try reader.expect(",")
            end = try reader.change()
        }
        guard reader.atEnd else { throw reader.failure("unexpected text after the end rule") }
        self.init(standard: standard, daylightSaving: DaylightSaving(type: daylight, start: start, end: end))
    }
}

/// A cursor over the ASCII bytes of a rule.
private struct Reader {
    let bytes: [UInt8]
    let text: String
    var index = 0

    var atEnd: Bool { index == bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[index] }

    func failure(_ problem: String) -> ValueError {
        ValueError("\"\(text)\" is not a POSIX TZ rule: \(problem) at character \(index + 1)")
    }

    mutating func expect(_ character: Unicode.Scalar) throws(ValueError) {
        guard peek == UInt8(ascii: character) else { throw failure("expected \"\(character)\"") }
        index += 1
    }

    /// An abbreviation: three or more letters, or `<…>` around three or more letters, digits, `+` or `-`.
    mutating func name() throws(ValueError) -> String {
        let quoted = peek == UInt8(ascii: "<")
        if quoted { index += 1 }
        let begin = index
        while let byte = peek, Self.isLetter(byte) || (quoted && (Self.isDigit(byte) || byte == 43 || byte == 45)) {
            index += 1
        }
        let name = String(decoding: bytes[begin..<index], as: UTF8.self)
        guard name.count >= 3 else { throw failure("a zone abbreviation needs at least three characters") }
        if quoted { try expect(">") }
        return name
    }

    /// `[+-]hh[:mm[:ss]]` as seconds east of UTC (POSIX counts west, so the sign flips).
    mutating func offset(maxHours: Int) throws(ValueError) -> Int {
        -(try signedTime(maxHours: maxHours))
    }

    /// `[+-]hh[:mm[:ss]]` as signed seconds.
    mutating func signedTime(maxHours: Int) throws(ValueError) -> Int {
        var sign = 1
        if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") {
            sign = peek == UInt8(ascii: "-") ? -1 : 1
            index += 1
        }
        let hours = try number(maxDigits: 3, range: 0...maxHours, what: "hours")
        var seconds = hours * 3600
        if peek == UInt8(ascii: ":") {
            index += 1
            seconds += try number(maxDigits: 2, range: 0...59, what: "minutes") * 60
            if peek == UInt8(ascii: ":") {
                index += 1
                seconds += try number(maxDigits: 2, range: 0...59, what: "seconds")
            }
        }
        return sign * seconds
    }

    /// `date[/time]`, where the time defaults to 02:00 and may be −167 h … 167 h (RFC 8536 §3.3.1).
    mutating func change() throws(ValueError) -> PosixTimeZoneRule.Change {
        let day: PosixTimeZoneRule.Day
        if peek == UInt8(ascii: "J") {
            index += 1
            day = .julian(try number(maxDigits: 3, range: 1...365, what: "Julian day"))
        } else if peek == UInt8(ascii: "M") {
            index += 1
            let month = try number(maxDigits: 2, range: 1...12, what: "month")
            try expect(".")
            let week = try number(maxDigits: 1, range: 1...5, what: "week")
            try expect(".")
            let weekday = try number(maxDigits: 1, range: 0...6, what: "weekday")
            day = .monthWeekDay(month: month, week: week, weekday: weekday)
        } else {
            day = .zeroBased(try number(maxDigits: 3, range: 0...365, what: "day of the year"))
        }
        var time = 7200
        if peek == UInt8(ascii: "/") {
            index += 1
            time = try signedTime(maxHours: 167)
        }
        return PosixTimeZoneRule.Change(day: day, secondsAfterMidnight: time)
    }

    mutating func number(maxDigits: Int, range: ClosedRange<Int>, what: String) throws(ValueError) -> Int {
        let begin = index
        var value = 0
        while let byte = peek, Self.isDigit(byte), index - begin < maxDigits {
            value = value * 10 + Int(byte - 48)
            index += 1
        }
        guard index > begin else { throw failure("expected \(what)") }
        guard range.contains(value) else { throw failure("\(what) \(value) is out of range") }
        return value
    }

    static func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }
    static func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
}
