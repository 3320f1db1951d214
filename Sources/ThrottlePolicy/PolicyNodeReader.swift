import Foundation
import Yams

/// Walks a composed YAML document and fills a ``PolicyDraft``, recording problems with their positions.
struct PolicyNodeReader {
    let file: String
    private(set) var problems: [PolicyDiagnostic] = []
    /// Problems past ``maximumReported`` are counted, not described: 200,000 unknown keys must not take
    /// minutes, nor bury the first problem under a screenful of the same one.
    private(set) var unreported = 0
    static let maximumReported = 20

    init(file: String) { self.file = file }

    func origin(line: Int, column: Int) -> ValueOrigin {
        .file(SourceLocation(file: file, line: line, column: column))
    }

    func origin(of node: Node) -> ValueOrigin {
        guard let mark = node.mark else { return origin(line: 1, column: 1) }
        return origin(line: mark.line, column: mark.column)
    }

    mutating func report(_ message: String, at node: Node) {
        guard problems.count < Self.maximumReported else {
            unreported += 1
            return
        }
        problems.append(PolicyDiagnostic(origin: origin(of: node), message: message))
    }

    /// Reports an unknown key; past the cap it is only counted, before its hint is worked out.
    mutating func reportUnknownKey(_ name: String, known: [String], within parent: String? = nil, at key: Node) {
        guard problems.count < Self.maximumReported else {
            unreported += 1
            return
        }
        report(unknownKeyMessage(name, known: known, within: parent), at: key)
    }

    /// Every problem reported, with a last line that counts the ones left out.
    var allProblems: [PolicyDiagnostic] {
        let problems = PolicyDiagnostic.inPlaceOrder(problems)
        guard unreported > 0, let last = problems.last else { return problems }
        return problems + [PolicyDiagnostic(
            origin: last.origin, message: "and \(unreported) more problem\(unreported == 1 ? "" : "s") not listed")]
    }

    /// Reports at a place inside a node (one item of a comma-separated scalar); past the cap it is only counted.
    mutating func report(_ message: String, at origin: ValueOrigin) {
        guard problems.count < Self.maximumReported else {
            unreported += 1
            return
        }
        problems.append(PolicyDiagnostic(origin: origin, message: message))
    }

    func diagnostic(for error: YamlError, text: String = "") -> PolicyDiagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            if let tab = Self.tab(near: mark.line, column: mark.column, in: text) {
                return PolicyDiagnostic(
                    origin: origin(line: tab.line, column: tab.column),
                    message: "a tab: YAML indents with spaces (replace the tab with spaces)")
            }
            if problem.contains("Maximum nesting level") {
                return PolicyDiagnostic(
                    origin: origin(line: mark.line, column: mark.column),
                    message: "not valid YAML or JSON: nested too deeply (a policy needs at most three levels)")
            }
            let detail = context.map { "\($0.text) " } ?? ""
            return PolicyDiagnostic(
                origin: origin(line: mark.line, column: mark.column),
                message: "not valid YAML or JSON: \(detail)\(problem)".trimmingWhitespace())
        case .duplicatedKeysInMapping(let duplicates, let context):
            let name = duplicates.first ?? "?"
            let first = context.mark
            let second = DuplicateKeyFinder.secondOccurrence(of: name, in: context.text, after: first)
                ?? (first.line, first.column)
            return PolicyDiagnostic(
                origin: origin(line: second.line, column: second.column),
                message: "duplicate key \"\(name)\" (first at line \(first.line), column \(first.column))")
        case .reader(let problem, _, _, _):
            return PolicyDiagnostic(origin: origin(line: 1, column: 1), message: "cannot read the file: \(problem)")
        default:
            return PolicyDiagnostic(origin: origin(line: 1, column: 1), message: "not valid YAML or JSON: \(error)")
        }
    }

    /// The tab a YAML syntax error at `line`:`column` is about: the character there, or a tab in that line's
    /// indentation (libyaml reports tabs as characters "that cannot start any token").
    static func tab(near line: Int, column: Int, in text: String) -> (line: Int, column: Int)? {
        guard line >= 1 else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line <= lines.count else { return nil }
        let scalars = Array(lines[line - 1].unicodeScalars)
        if column >= 1, column <= scalars.count, scalars[column - 1] == "\t" { return (line, column) }
        let indentation = scalars.prefix { $0 == " " || $0 == "\t" }
        guard let offset = indentation.firstIndex(of: "\t") else { return nil }
        return (line, offset + 1)
    }

    /// Reads the top-level mapping.
    mutating func read(_ root: Node?) -> PolicyDraft {
        var draft = PolicyDraft(documentOrigin: origin(line: 1, column: 1))
        guard let root else {
            problems.append(
                PolicyDiagnostic(
                    origin: origin(line: 1, column: 1),
                    message: "the policy file is empty: see examples/ for a complete policy"))
            return draft
        }
        draft.documentOrigin = origin(of: root)
        guard let mapping = root.mapping else {
            report("a policy is a mapping of keys (throttling, work-days, …), not \(describe(root))", at: root)
            return draft
        }
        for (key, value) in uniquePairs(mapping) {
            guard let name = key.scalar?.string else { continue }
            readTopLevel(name, key: key, value: value, into: &draft)
        }
        return draft
    }

    private mutating func readTopLevel(_ name: String, key: Node, value: Node, into draft: inout PolicyDraft) {
        let at = origin(of: value)
        switch name {
        case "throttling":
            if let flag = readBool(value) { draft.throttling = .init(flag, origin: at) }
        case "work-days":
            if let days = readWorkDays(value) { draft.workDays = .init(days, origin: at) }
        case "work-hours":
            readWorkHours(value, into: &draft)
        case "work-hour-bandwidth":
            if let (upload, download) = readDirectionalBandwidth(value, key: name) {
                draft.workHourBandwidth = upload
                draft.workHourDownloadBandwidth = download
            }
        case "non-work-hour-bandwidth":
            if let (upload, download) = readDirectionalBandwidth(value, key: name) {
                draft.nonWorkHourBandwidth = upload
                draft.nonWorkHourDownloadBandwidth = download
            }
        case "time-zone":
            if let text = readString(value, expecting: "an IANA time zone name such as Europe/Berlin") {
                do throws(ValueError) {
                    draft.timeZone = .init(try TimeZoneName.parse(text), origin: at)
                } catch { report(error.message, at: value) }
            }
        case "exception-dates":
            if let dates = readDates(value) { draft.exceptionDates = .init(dates, origin: at) }
        case "os-profile":
            if let text = readString(value, expecting: "an OS profile name such as linux or windows-server-2019") {
                do throws(ValueError) {
                    draft.osProfile = .init(try OSProfile(parsing: text), origin: at)
                } catch { report(error.message, at: value) }
            }
        case "bucket-sizing":
            if let text = readString(value, expecting: BucketSizing.choicesText) {
                do throws(ValueError) {
                    draft.bucketSizing = .init(try BucketSizing(parsing: text), origin: at)
                } catch { report(error.message, at: value) }
            }
        case "description":
            draft.note = readString(value, expecting: "text")
        case "traffic":
            draft.traffic = readTraffic(value)
        default:
            reportUnknownKey(name, known: PolicyLoader.topLevelKeys, at: key)
        }
    }

    private mutating func readWorkHours(_ node: Node, into draft: inout PolicyDraft) {
        guard let mapping = node.mapping else {
            report("work-hours is a mapping with start and end (for example start: \"09:00\", end: \"18:00\"), "
                + "not \(describe(node))", at: node)
            return
        }
        var sawStart = false
        var sawEnd = false
        for (key, value) in uniquePairs(mapping) {
            guard let name = key.scalar?.string else { continue }
            switch name {
            case "start":
                sawStart = true
                if let time = readTime(value) { draft.startWorkHour = .init(time, origin: origin(of: value)) }
            case "end":
                sawEnd = true
                if let time = readTime(value) { draft.endWorkHour = .init(time, origin: origin(of: value)) }
            default:
                reportUnknownKey(name, known: ["start", "end"], within: "work-hours", at: key)
            }
        }
        if !sawStart || !sawEnd {
            let missing = [sawStart ? nil : "start", sawEnd ? nil : "end"].compactMap { $0 }
            report("work-hours needs both start and end; missing \(missing.joined(separator: " and "))", at: node)
        }
    }

    /// A bandwidth for both directions (a rate), or for each (`{upload: RATE, download: RATE}`).
    private mutating func readDirectionalBandwidth(_ node: Node, key: String)
        -> (PolicyDraft.Setting<Bandwidth>, PolicyDraft.Setting<Bandwidth>?)?
    {
        guard let mapping = node.mapping else {
            return readBandwidth(node).map { (.init($0, origin: origin(of: node)), nil) }
        }
        var upload: PolicyDraft.Setting<Bandwidth>?
        var download: PolicyDraft.Setting<Bandwidth>?
        var failed = false
        for (directionKey, value) in uniquePairs(mapping) {
            guard let direction = directionKey.scalar?.string else { continue }
            switch direction {
            case "upload", "download":
                guard let bandwidth = readBandwidth(value) else {
                    failed = true
                    continue
                }
                let setting = PolicyDraft.Setting(bandwidth, origin: origin(of: value))
                if direction == "upload" { upload = setting } else { download = setting }
            default:
                reportUnknownKey(direction, known: ["upload", "download"], within: key, at: directionKey)
                failed = true
            }
        }
        guard let upload, let download else {
            if !failed {
                report("\(key) as a mapping needs both upload and download (or give one rate for both)", at: node)
            }
            return nil
        }
        return failed ? nil : (upload, download)
    }

    /// The pairs of a mapping whose keys are names; other keys are reported and skipped. (Yams itself
    /// refuses repeated keys while composing; see `DuplicateKeyFinder`.)
    mutating func uniquePairs(_ mapping: Node.Mapping) -> [(Node, Node)] {
        var pairs: [(Node, Node)] = []
        for (key, value) in mapping {
            guard key.scalar != nil else {
                report("a key must be a name, not \(describe(key))", at: key)
                continue
            }
            pairs.append((key, value))
        }
        return pairs
    }
}
