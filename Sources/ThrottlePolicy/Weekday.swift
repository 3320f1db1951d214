/// A day of the week, in ISO order (Monday first).
public enum Weekday: Int, CaseIterable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The days, Monday first (ISO 8601 order).
    case monday = 0, tuesday, wednesday, thursday, friday, saturday, sunday

    /// Monday sorts first.
    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The full English name, as MARS writes it (`Monday`).
    public var name: String {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][rawValue]
    }

    /// The three-letter form (`Mon`).
    public var shortName: String { String(name.prefix(3)) }

    /// The short name (`Mon`).
    public var description: String { shortName }

    /// Reads one day name: the full name, the 3-letter or the 2-letter form, in any case.
    /// - Parameter text: for example `Monday`, `mon`, `MO`.
    public init(parsing text: String) throws(ValueError) {
        let lowered = text.trimmingWhitespace().lowercased()
        for day in Weekday.allCases {
            let full = day.name.lowercased()
            if lowered == full || lowered == String(full.prefix(3)) || lowered == String(full.prefix(2)) {
                self = day
                return
            }
        }
        throw ValueError(
            "unknown day \"\(text)\": write a day of the week as Monday, Mon or Mo (any case)"
        )
    }

    /// Reads a list of days: comma-separated names and ranges such as `mon-fri` or `sat-sun`; `none` is no
    /// work days at all.
    ///
    /// A range runs forward through the week and may wrap (`fri-mon` is Friday to Monday). An empty text is
    /// refused rather than read as no days: a blank that was meant to hold days must not turn throttling into
    /// "non-work hours all week" without a word.
    public static func parseList(_ text: String) throws(ValueError) -> Set<Weekday> {
        var days = Set<Weekday>()
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty {
            throw ValueError("the list of work days is empty: write none for no work days, or for example mon-fri")
        }
        if trimmed.lowercased() == "none" { return days }
        for item in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            guard !String(item).trimmingWhitespace().isEmpty else {
                throw ValueError("\"\(text)\" has an empty item between commas: write for example mon,tue")
            }
            days.formUnion(try parseItem(String(item)))
        }
        return days
    }

    /// Reads one list item: a single day or a range `first-last`.
    public static func parseItem(_ item: String) throws(ValueError) -> Set<Weekday> {
        let parts = item.split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return [try Weekday(parsing: item)]
        case 2:
            let first = try Weekday(parsing: String(parts[0]))
            let last = try Weekday(parsing: String(parts[1]))
            var days = Set<Weekday>()
            var index = first.rawValue
            while true {
                days.insert(Weekday(rawValue: index)!)
                if index == last.rawValue { break }
                index = (index + 1) % 7
            }
            return days
        default:
            throw ValueError("unknown day range \"\(item)\": write a range as mon-fri")
        }
    }

    /// A compact, readable form of a set of days: `Mon–Fri`, `Mon, Tue`, `none`.
    public static func describe(_ days: Set<Weekday>) -> String {
        if days.isEmpty { return "none" }
        if days.count == 7 { return "every day" }
        let sorted = days.sorted()
        var runs: [(Weekday, Weekday)] = []
        for day in sorted {
            if let last = runs.last, last.1.rawValue + 1 == day.rawValue {
                runs[runs.count - 1].1 = day
            } else {
                runs.append((day, day))
            }
        }
        return runs.map { run in
            switch run.1.rawValue - run.0.rawValue {
            case 0: return run.0.shortName
            case 1: return "\(run.0.shortName), \(run.1.shortName)"
            default: return "\(run.0.shortName)–\(run.1.shortName)"
            }
        }.joined(separator: ", ")
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks (no Foundation needed).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
