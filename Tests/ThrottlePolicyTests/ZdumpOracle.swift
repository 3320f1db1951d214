import Foundation
import Testing

/// A zone's offsets as `/usr/bin/zdump` prints them for the same tzdata: an oracle that shares no code with
/// the TZif reader (zdump goes through the C library's `localtime`).
struct ZdumpZone: Sendable {
    /// One change, from the pair of lines zdump prints for it (the second before, and the instant itself).
    struct Transition: Sendable {
        let instant: Int
        let offsetBefore: Int
        let offsetAfter: Int
        let abbreviationAfter: String
        let isDaylightSavingAfter: Bool
    }

    let name: String
    /// The instants zdump was asked about: `[rangeStart, rangeEnd)`.
    let rangeStart: Int
    let rangeEnd: Int
    /// The offset from the start of the range to the first transition (all of it, when there is none).
    let initialOffset: Int
    let transitions: [Transition]

    /// The offset at `instant`, by a linear walk of the table (within the range zdump was asked for).
    func offset(at instant: Int) -> Int {
        var offset = initialOffset
        for transition in transitions {
            guard transition.instant <= instant else { break }
            offset = transition.offsetAfter
        }
        return offset
    }

    /// Constant-offset stretches `[start, end)` with their offset, covering the range zdump was asked for.
    var segments: [(start: Int, end: Int, offset: Int)] {
        var result: [(start: Int, end: Int, offset: Int)] = []
        var start = rangeStart
        var offset = initialOffset
        for transition in transitions {
            result.append((start, transition.instant, offset))
            start = transition.instant
            offset = transition.offsetAfter
        }
        result.append((start, rangeEnd, offset))
        return result
    }
}

/// Runs zdump and reads its output.
enum Zdump {
    static let path = "/usr/bin/zdump"

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: path) }
    /// Under `CI=true` a missing zdump fails the tests that need it instead of skipping them.
    static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    static var shouldRun: Bool { isAvailable || isRequired }

    /// The tables of `zones` for the years `firstYear ..< lastYear`, from one `zdump -v` run and, for zones
    /// without transitions, one `zdump -i` run. The default, `-c 1970,2040`, reaches past 2037, where the
    /// transitions come from the footer rules.
    static func zones(_ names: [String], firstYear: Int = 1970, lastYear: Int = 2040) throws -> [String: ZdumpZone] {
        let start = daysFromCivil(year: firstYear, month: 1, day: 1) * 86_400
        let end = daysFromCivil(year: lastYear, month: 1, day: 1) * 86_400
        var lines: [String: [String]] = [:]
        for line in try run(["-v", "-c", "\(firstYear),\(lastYear)"] + names).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count == 16, fields[6] == "UT" else { continue }  // the "= NULL" lines at ±∞
            lines[fields[0], default: []].append(String(line))
        }
        var zones: [String: ZdumpZone] = [:]
        for name in names {
            let transitions = try transitions(from: lines[name] ?? [], zone: name)
            if let first = transitions.first {
                zones[name] = ZdumpZone(
                    name: name, rangeStart: start, rangeEnd: end, initialOffset: first.offsetBefore,
                    transitions: transitions)
            }
        }
        let constant = names.filter { zones[$0] == nil }
        if !constant.isEmpty {
            let output = try run(["-i", "-c", "\(firstYear),\(lastYear)"] + constant)
            var current: String?
            for line in output.split(separator: "\n") {
                if line.hasPrefix("TZ=\"") {
                    current = String(line.dropFirst(4).dropLast())
                } else if let name = current, line.hasPrefix("-\t-\t") {
                    let field = String(line.split(separator: "\t")[2])
                    zones[name] = ZdumpZone(
                        name: name, rangeStart: start, rangeEnd: end, initialOffset: try offset(field),
                        transitions: [])
                    current = nil
                }
            }
        }
        for name in names where zones[name] == nil { throw ZdumpError("zdump printed nothing for \(name)") }
        return zones
    }

    /// Pairs of lines `Zone  Sun Mar  8 04:59:59 2026 UT = Sat Mar  7 23:59:59 2026 CST isdst=0 gmtoff=-18000`.
    static func transitions(from lines: [String], zone: String) throws -> [ZdumpZone.Transition] {
        let parsed = try lines.map(parse)
        guard parsed.count % 2 == 0 else { throw ZdumpError("\(zone): an odd number of lines") }
        return try stride(from: 0, to: parsed.count, by: 2).map { index in
            let (before, after) = (parsed[index], parsed[index + 1])
            guard after.instant == before.instant + 1 else { throw ZdumpError("\(zone): lines are not a pair") }
            return ZdumpZone.Transition(
                instant: after.instant, offsetBefore: before.offset, offsetAfter: after.offset,
                abbreviationAfter: after.abbreviation, isDaylightSavingAfter: after.isDaylightSaving)
        }
    }

    struct Line { let instant: Int, offset: Int, abbreviation: String, isDaylightSaving: Bool }

    static func parse(_ line: String) throws -> Line {
        let f = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let instant = try seconds(month: f[2], day: f[3], time: f[4], year: f[5])
        let local = try seconds(month: f[9], day: f[10], time: f[11], year: f[12])
        guard f[14].hasPrefix("isdst="), f[15].hasPrefix("gmtoff="), let offset = Int(f[15].dropFirst(7)) else {
            throw ZdumpError("unexpected line: \(line)")
        }
        // zdump's own arithmetic, checked: local time is UT plus the offset.
        guard local == instant + offset else { throw ZdumpError("local time ≠ UT + gmtoff in: \(line)") }
        return Line(instant: instant, offset: offset, abbreviation: f[13], isDaylightSaving: f[14] == "isdst=1")
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func seconds(month: String, day: String, time: String, year: String) throws -> Int {
        let clock = time.split(separator: ":").compactMap { Int($0) }
        guard let monthIndex = months.firstIndex(of: month), let day = Int(day), let year = Int(year), clock.count == 3
        else { throw ZdumpError("unexpected date \(month) \(day) \(time) \(year)") }
        return daysFromCivil(year: year, month: monthIndex + 1, day: day) * 86_400
            + clock[0] * 3600 + clock[1] * 60 + clock[2]
    }

    /// `+0530`, `-05`, `+01`, `+055120` as seconds east of UTC.
    static func offset(_ text: String) throws -> Int {
        let sign = text.hasPrefix("-") ? -1 : 1
        let digits = text.dropFirst().compactMap(\.wholeNumberValue)
        guard [2, 4, 6].contains(digits.count), digits.count == text.count - 1 else {
            throw ZdumpError("unexpected offset \(text)")
        }
        let parts = stride(from: 0, to: digits.count, by: 2).map { digits[$0] * 10 + digits[$0 + 1] }
        return sign * (parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0))
    }

    /// Days since 1970-01-01 by counting years and months: slow, obvious, and not the code under test.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
        var days = 0
        if year >= 1970 {
            for y in 1970..<year { days += isLeap(y) ? 366 : 365 }
        } else {
            for y in year..<1970 { days -= isLeap(y) ? 366 : 365 }
        }
        let lengths = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return days + lengths.prefix(month - 1).reduce(0, +) + day - 1
    }

    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        // The system database, whatever the test run's environment says.
        process.environment = ["PATH": "/usr/bin:/bin", "TZDIR": "/usr/share/zoneinfo"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ZdumpError("zdump exited \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }
}

struct ZdumpError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
