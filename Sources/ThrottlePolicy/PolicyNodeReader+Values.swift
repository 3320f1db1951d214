import Foundation
import Yams

/// Typed readers for policy values; each reports at the offending node and returns `nil` on a problem.
extension PolicyNodeReader {
    mutating func readBool(_ node: Node) -> Bool? {
        guard let text = scalarText(node, expecting: "true or false") else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report("throttling is true or false, not \"\(text)\"", at: node)
            return nil
        }
    }

    mutating func readString(_ node: Node, expecting what: String) -> String? {
        scalarText(node, expecting: what)
    }

    mutating func readBandwidth(_ node: Node) -> Bandwidth? {
        guard let text = scalarText(node, expecting: "a rate such as 524288, 512kibit, 2mbit or unlimited") else {
            return nil
        }
        do throws(ValueError) {
            return try Bandwidth(parsing: text)
        } catch {
            report(error.message, at: node)
            return nil
        }
    }

    mutating func readTime(_ node: Node) -> TimeOfDay? {
        guard let text = scalarText(node, expecting: "a time of day such as \"09:00\"") else { return nil }
        do throws(ValueError) {
            return try TimeOfDay(parsing: text)
        } catch {
            report(error.message, at: node)
            return nil
        }
    }

    mutating func readWorkDays(_ node: Node) -> Set<Weekday>? {
        // One text (`"mon-fri"`, `none`, `""`) reads as the --work-days flag does, so both refuse the same.
        if let scalar = node.scalar, !isNull(node) {
            do throws(ValueError) {
                return try Weekday.parseList(scalar.string)
            } catch {
                report(error.message, at: node)
                return nil
            }
        }
        return readList(node, expecting: "a list of days such as [mon, tue] or \"mon-fri\"") { text throws(ValueError) in
            try Weekday.parseItem(text)
        }
    }

    mutating func readDates(_ node: Node) -> Set<LocalDate>? {
        readList(node, expecting: "a list of dates such as [2026-12-25, 2026-12-26]") { text throws(ValueError) in
            [try LocalDate(parsing: text)]
        }
    }

    /// A list given as a YAML sequence of scalars, or as one comma-separated scalar.
    private mutating func readList<Element: Hashable>(
        _ node: Node, expecting what: String, item: (String) throws(ValueError) -> Set<Element>
    ) -> Set<Element>? {
        var result = Set<Element>()
        var failed = false
        var items: [(String, Node)] = []
        if let sequence = node.sequence {
            for element in sequence {
                guard let text = scalarText(element, expecting: "one item of \(what)") else {
                    failed = true
                    continue
                }
                items.append((text, element))
            }
        } else if node.scalar != nil, !isNull(node) {
            let text = node.scalar!.string
            items = text.split(separator: ",").map { (String($0), node) }
        } else {
            report("expected \(what), not \(describe(node))", at: node)
            return nil
        }
        for (text, element) in items {
            do throws(ValueError) {
                result.formUnion(try item(text))
            } catch {
                report(error.message, at: element)
                failed = true
            }
        }
        return failed ? nil : result
    }

    /// The text of a non-null scalar, or a report that names what was expected.
    mutating func scalarText(_ node: Node, expecting what: String) -> String? {
        guard let scalar = node.scalar, !isNull(node) else {
            report("expected \(what), not \(describe(node))", at: node)
            return nil
        }
        return scalar.string
    }

    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            return isNull(node) ? "an empty value" : "\"\(scalar.string)\""
        }
    }

    func unknownKeyMessage(_ name: String, known: [String], within parent: String? = nil) -> String {
        let place = parent.map { " in \($0)" } ?? ""
        var message = "unknown key \"\(name)\"\(place)"
        // One distance per known key, each bounded: cheap for any number of unknown keys of any length.
        let limit = max(2, name.count / 3)
        let guesses = known.compactMap { candidate in editDistance(candidate, name, atMost: limit).map { ($0, candidate) } }
        if let guess = guesses.min(by: { $0.0 < $1.0 })?.1 {
            message += "; did you mean \"\(guess)\"?"
        }
        return message + " (known keys: \(known.joined(separator: ", ")))"
    }
}

/// Levenshtein distance (case-insensitive), for "did you mean" hints; `nil` when it is more than `limit`.
func editDistance(_ a: String, _ b: String, atMost limit: Int) -> Int? {
    let a = Array(a.lowercased().unicodeScalars)
    let b = Array(b.lowercased().unicodeScalars)
    guard abs(a.count - b.count) <= limit else { return nil }
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        var rowMinimum = i
        for j in stride(from: 1, through: b.count, by: 1) {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            rowMinimum = min(rowMinimum, current[j])
        }
        if rowMinimum > limit { return nil }
        swap(&previous, &current)
    }
    return previous[b.count] <= limit ? previous[b.count] : nil
}
