import Yams

/// Things a valid policy says that are harmless but probably not meant: a work day, an exception date, or a
/// tag, prefix or port of the `traffic` section listed twice (`[mon, mon, Monday]`, `ports: [443, 443]`). Accepted, as MARS accepts them, and reported by `validate`.
public enum PolicyWarnings {
    /// One `FILE:LINE:COLUMN: warning: …` diagnostic per repeated item, at the repeat.
    public static func repeatedItems(in text: String, file: String) -> [PolicyDiagnostic] {
        guard let root = try? Yams.compose(yaml: text), let mapping = root.mapping else { return [] }
        var warnings: [PolicyDiagnostic] = []
        for (key, value) in mapping {
            switch key.string {
            case "work-days":
                warnings += repeats(in: value, file: file, what: "work day") { text in
                    (try? Weekday.parseItem(text)).map { days in days.sorted { $0.rawValue < $1.rawValue } }
                } describe: { "\($0)" }
            case "exception-dates":
                warnings += repeats(in: value, file: file, what: "exception date") { text in
                    (try? LocalDate(parsing: text)).map { [$0] }
                } describe: { "\($0)" }
            case "traffic":
                warnings += trafficRepeats(in: value, file: file)
            default:
                continue
            }
        }
        return warnings
    }

    /// A tag, prefix, excluded prefix or port of the `traffic` section listed twice (`ports: [443, 443]`).
    private static func trafficRepeats(in node: Node, file: String) -> [PolicyDiagnostic] {
        guard let mapping = node.mapping else { return [] }
        var warnings: [PolicyDiagnostic] = []
        for (key, value) in mapping {
            let text = { (item: String) -> [String]? in
                let trimmed = item.trimmingWhitespace()
                return trimmed.isEmpty ? nil : [trimmed]
            }
            switch key.string {
            case "tags":
                warnings += repeats(in: value, file: file, what: "tag", parse: text) { $0 }
            case "prefixes", "exclude-prefixes":
                // As written (lower-cased for IPv6's hex digits); spellings of one prefix that differ otherwise
                // are left to the merge, which joins them anyway.
                warnings += repeats(in: value, file: file, what: key.string == "prefixes" ? "prefix" : "excluded prefix") {
                    text($0)?.map { $0.lowercased() }
                } describe: { $0 }
            case "ports":
                warnings += repeats(in: value, file: file, what: "port") { Int($0.trimmingWhitespace()).map { [$0] } }
                    describe: { "\($0)" }
            default:
                continue
            }
        }
        return warnings
    }

    private static func repeats<Element: Hashable>(
        in node: Node, file: String, what: String, parse: (String) -> [Element]?,
        describe: (Element) -> String
    ) -> [PolicyDiagnostic] {
        let items: [(String, Node)]
        if let sequence = node.sequence {
            items = sequence.compactMap { element in element.string.map { ($0, element) } }
        } else if let text = node.string {
            items = text.split(separator: ",").map { (String($0), node) }
        } else {
            return []
        }
        var seen: Set<Element> = []
        var warnings: [PolicyDiagnostic] = []
        for (text, element) in items {
            guard let values = parse(text) else { continue }
            let repeated = values.filter { !seen.insert($0).inserted }
            guard !repeated.isEmpty else { continue }
            let line = element.mark?.line ?? 1
            let column = element.mark?.column ?? 1
            let names = repeated.map(describe).joined(separator: ", ")
            warnings.append(PolicyDiagnostic(
                origin: .file(SourceLocation(file: file, line: line, column: column)),
                message: "warning: \"\(text.trimmingWhitespace())\" repeats the \(what) \(names), listed before"))
        }
        return warnings
    }
}
