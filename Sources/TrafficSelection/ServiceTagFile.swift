/// One service tag of a tag file: its name, region and prefixes, with where each was written.
public struct ServiceTag: Sendable {
    /// The tag's name as the file spells it (`AzureBackup`, `Storage.WestEurope`).
    public let name: String
    /// The region (`westeurope`), or empty for a global tag.
    public let region: String
    /// The service the tag belongs to (`AzureBackup` for `AzureBackup.WestEurope`), or empty.
    public let systemService: String
    /// The prefixes in the order written.
    public let prefixes: [IPPrefix]
    /// Byte offset of the tag's `name` value in the file.
    let nameOffset: Int

    public var ipv4Count: Int { prefixes.count { $0.family == .ipv4 } }
    public var ipv6Count: Int { prefixes.count { $0.family == .ipv6 } }
}

/// A problem in a tag file or in the selection that reads it, with where it is.
public struct SelectionProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// `FILE:LINE:COLUMN` (or `FILE`, or a flag name) followed by the message.
    public let place: String
    public let message: String
    /// 66 when the file cannot be read at all, 65 for anything wrong inside it.
    public let exitCode: Int32

    public init(place: String, message: String, exitCode: Int32 = 65) {
        self.place = place
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { place.isEmpty ? message : "\(place): \(message)" }
}

/// Microsoft's weekly "Azure IP Ranges and Service Tags" file, as downloaded or as `az network
/// list-service-tags` prints it (the two differ in `changeNumber`'s type and a few top-level members).
public struct ServiceTagFile: Sendable {
    /// The file's path as given (for messages).
    public let path: String
    /// `Public`, `AzureGovernment`, … (empty when the file does not say).
    public let cloud: String
    /// The file's change number, as text (the download has a number, `az` a string).
    public let changeNumber: String
    /// `change N` for messages, or `no change number` when the file has none.
    public var changeLabel: String { Self.changeLabel(changeNumber) }
    /// `change N` for a recorded change number, or `no change number` when it is empty.
    public static func changeLabel(_ changeNumber: String) -> String {
        changeNumber.isEmpty ? "no change number" : "change \(changeNumber)"
    }
    /// The tags in file order.
    public let tags: [ServiceTag]
    private let index: [String: Int]

    /// The tag named `name` (exact spelling; see ``suggestion(for:)`` for near misses).
    public func tag(named name: String) -> ServiceTag? { index[name].map { tags[$0] } }

    /// The closest tag name to `name` (case-insensitive match first, then edit distance), for "did you mean".
    public func suggestion(for name: String) -> String? {
        let lowered = name.lowercased()
        if let exact = tags.first(where: { $0.name.lowercased() == lowered }) { return exact.name }
        var best: (name: String, distance: Int)?
        for tag in tags where abs(tag.name.count - name.count) <= 3 {
            let distance = EditDistance.between(lowered, tag.name.lowercased(), limit: 3)
            if distance <= 3, distance < (best?.distance ?? Int.max) { best = (tag.name, distance) }
        }
        return best?.name
    }

    /// Reads the file at `path` from `bytes`.
    /// - Throws: ``SelectionProblem`` with `FILE:LINE:COLUMN` for malformed JSON, a missing or mistyped member,
    ///   or a malformed prefix.
    public static func parse(_ bytes: [UInt8], path: String) throws(SelectionProblem) -> ServiceTagFile {
        if let file = parseQuickly(bytes, path: path) { return file }
        return try parseFully(bytes, path: path)
    }

    /// The file as ``ServiceTagScanner`` reads it in one pass over the bytes, or nil when anything is unusual
    /// and ``parseFully(_:path:)`` must decide. When it answers, it answers what `parseFully` would.
    static func parseQuickly(_ bytes: [UInt8], path: String) -> ServiceTagFile? {
        guard let contents = bytes.withUnsafeBufferPointer({ ServiceTagScanner.scan($0) }) else { return nil }
        return ServiceTagFile(path: path, cloud: contents.cloud, changeNumber: contents.changeNumber, tags: contents.tags,
                              index: contents.index)
    }

    /// The file read through a full JSON tree, with a message and `FILE:LINE:COLUMN` for every problem.
    static func parseFully(_ bytes: [UInt8], path: String) throws(SelectionProblem) -> ServiceTagFile {
        let positions = TextPositions(bytes)
        func problem(_ offset: Int, _ message: String) -> SelectionProblem {
            let (line, column) = positions.lineAndColumn(at: offset)
            return SelectionProblem(place: "\(path):\(line):\(column)", message: message)
        }
        let root: JSONNode
        do { root = try JSONDocumentReader.parse(bytes) } catch { throw problem(error.offset, error.message) }
        guard case .object = root.value else {
            throw problem(root.offset, "a service-tags file is a JSON object with \"values\"; this is \(root.kindName)")
        }
        guard let values = root["values"] else {
            throw problem(root.offset, "no \"values\" member: is this Microsoft's service-tags JSON (ServiceTags_*.json, "
                + "or the output of `az network list-service-tags`)?")
        }
        guard let items = values.array else { throw problem(values.offset, "\"values\" must be an array, not \(values.kindName)") }
        var tags: [ServiceTag] = []
        var index: [String: Int] = [:]
        tags.reserveCapacity(items.count)
        for item in items {
            guard case .object = item.value else { throw problem(item.offset, "each entry of \"values\" must be an object") }
            guard let nameNode = item["name"], let name = nameNode.string, !name.isEmpty else {
                throw problem(item.offset, "a service tag without a \"name\" string")
            }
            guard let properties = item["properties"], case .object = properties.value else {
                throw problem(item.offset, "service tag \(name) has no \"properties\" object")
            }
            guard let list = properties["addressPrefixes"], let entries = list.array else {
                throw problem(properties.offset, "service tag \(name) has no \"addressPrefixes\" array")
            }
            var prefixes: [IPPrefix] = []
            prefixes.reserveCapacity(entries.count)
            for entry in entries {
                guard let text = entry.string else {
                    throw problem(entry.offset, "a prefix of \(name) must be a string, not \(entry.kindName)")
                }
                do { prefixes.append(try IPPrefix(text)) } catch {
                    throw problem(entry.offset + 1, "in service tag \(name): \(error.message)")
                }
            }
            if let earlier = index[name] {
                let first = positions.lineAndColumn(at: tags[earlier].nameOffset)
                throw problem(nameNode.offset, "service tag \(name) appears twice (first at \(path):"
                    + "\(first.line):\(first.column))")
            }
            index[name] = tags.count
            tags.append(ServiceTag(name: name, region: properties["region"]?.string ?? "",
                                   systemService: properties["systemService"]?.string ?? "", prefixes: prefixes,
                                   nameOffset: nameNode.offset))
        }
        let change: String
        switch root["changeNumber"]?.value {
        case .number(let text)?: change = text
        case .string(let text)?: change = text
        default: change = ""
        }
        return ServiceTagFile(path: path, cloud: root["cloud"]?.string ?? "", changeNumber: change, tags: tags, index: index)
    }
}

/// Levenshtein distance, giving up early past `limit`.
enum EditDistance {
    static func between(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowBest = current[0]
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                rowBest = min(rowBest, current[j])
            }
            if rowBest > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
