import Foundation
import Yams

/// Reads the `traffic` section: which remote addresses and ports to shape.
extension PolicyNodeReader {
    /// The section as a draft, or `nil` when it is not a mapping. Problems are reported at their nodes; a
    /// key whose value is wrong is left out of the draft.
    mutating func readTraffic(_ node: Node) -> TrafficDraft? {
        var draft = TrafficDraft(origin: origin(of: node))
        if isNull(node) { return draft }
        guard let mapping = node.mapping else {
            report("traffic is a mapping of \(TrafficRequest.keys.joined(separator: ", ")), not \(describe(node))",
                   at: node)
            return nil
        }
        for (key, value) in uniquePairs(mapping) {
            guard let name = key.scalar?.string else { continue }
            switch name {
            case "service-tags":
                if let path = readTrafficText(value, kind: "service-tags file path",
                                              expecting: "the path of a service-tags JSON file") {
                    draft.serviceTags = .init(path, origin: origin(of: value))
                }
            case "tags":
                draft.tags = readTrafficList(value, kind: "a tag name",
                                             expecting: "a list of service tag names such as [AzureBackup, Storage]")
                { text throws(ValueError) in try TrafficRequest.item(parsing: text, kind: "tag name") }
            case "prefixes", "exclude-prefixes":
                let example = "a list of prefixes such as [\"203.0.113.0/24\", \"2001:db8::/48\"]"
                let prefixes = readTrafficList(value, kind: "a prefix", expecting: example) { text throws(ValueError) in
                    try TrafficRequest.item(parsing: text, kind: "prefix")
                }
                if name == "prefixes" { draft.prefixes = prefixes } else { draft.excludedPrefixes = prefixes }
            case "ports":
                draft.ports = readTrafficList(value, kind: "a port", expecting: "a list of ports such as [443]",
                                              parse: TrafficRequest.port(parsing:))
            case "preset":
                if let text = readTrafficText(value, kind: "preset name", expecting: "a preset name such as mars") {
                    do throws(ValueError) {
                        draft.preset = .init(try TrafficPreset(parsing: text), origin: origin(of: value))
                    } catch { report(error.message, at: value) }
                }
            default:
                reportUnknownKey(name, known: TrafficRequest.keys, within: "traffic", at: key)
            }
        }
        return draft
    }

    /// One non-empty text.
    private mutating func readTrafficText(_ node: Node, kind: String, expecting what: String) -> String? {
        guard let text = scalarText(node, expecting: what) else { return nil }
        do throws(ValueError) {
            return try TrafficRequest.item(parsing: text, kind: kind)
        } catch {
            report(error.message, at: node)
            return nil
        }
    }

    /// A YAML list of scalars, or one scalar holding a comma-separated list (as the flags take), each item
    /// with its own position. `nil` when anything in it is wrong.
    private mutating func readTrafficList<Value>(
        _ node: Node, kind: String, expecting what: String, parse: (String) throws(ValueError) -> Value
    ) -> [TrafficRequest.Item<Value>]? {
        var items: [(text: String, origin: ValueOrigin, node: Node)] = []
        if let sequence = node.sequence {
            var failed = false
            for element in sequence {
                guard let text = scalarText(element, expecting: "\(kind) (one item of \(what))") else {
                    failed = true
                    continue
                }
                items.append((text, origin(of: element), element))
            }
            if failed { return nil }
        } else if let scalar = node.scalar, !isNull(node) {
            items = splitScalar(scalar, at: node).map { ($0.text, $0.origin, node) }
        } else {
            report("expected \(what), not \(describe(node))", at: node)
            return nil
        }
        var values: [TrafficRequest.Item<Value>] = []
        var failed = false
        for item in items {
            do throws(ValueError) {
                values.append(.init(try parse(item.text), origin: item.origin))
            } catch {
                report(error.message, at: item.origin)
                failed = true
            }
        }
        return failed ? nil : values
    }

    /// The comma-separated items of one scalar; a plain one-line scalar gives each item its own column.
    private func splitScalar(_ scalar: Node.Scalar, at node: Node) -> [(text: String, origin: ValueOrigin)] {
        let text = scalar.string
        let exact = scalar.style == .plain && !text.contains("\n")
        guard let mark = node.mark else { return [(text, origin(of: node))] }
        var result: [(String, ValueOrigin)] = []
        var column = mark.column
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let leading = part.prefix { $0 == " " || $0 == "\t" }.unicodeScalars.count
            let place = exact ? origin(line: mark.line, column: column + leading) : origin(of: node)
            result.append((String(part), place))
            column += part.unicodeScalars.count + 1
        }
        return result
    }
}
