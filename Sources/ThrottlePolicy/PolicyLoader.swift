import Foundation
import Yams

/// Loads policy files (YAML, or JSON through the same parser) into drafts and policies.
///
/// Every problem names the file, line and column. Unknown keys, duplicate keys, wrong types and values
/// out of range are errors; nothing unrecognised silently becomes a default.
public enum PolicyLoader {
    /// The keys a policy file may hold at the top level.
    public static let topLevelKeys = [
        "throttling", "work-days", "work-hours", "work-hour-bandwidth", "non-work-hour-bandwidth", "time-zone",
        "exception-dates", "os-profile", "description", "traffic",
    ]

    /// Reads and validates the policy file at `path`.
    /// - Throws: ``PolicyFileError`` when the file cannot be read; ``PolicyError`` for its content.
    public static func load(path: String) throws -> Policy {
        try draft(text: readText(path: path), file: path).build()
    }

    /// The file's text, or a ``PolicyFileError``.
    public static func readText(path: String) throws(PolicyFileError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw PolicyFileError(path: path, reason: exists ? "cannot be read" : "does not exist")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyFileError(path: path, reason: "is not UTF-8 text")
        }
        return text
    }

    /// Validates `text` as a complete policy; `file` names it in messages.
    public static func policy(text: String, file: String) throws(PolicyError) -> Policy {
        try draft(text: text, file: file).build()
    }

    /// Parses `text` into a draft, collecting every syntax, key and value problem.
    public static func draft(text: String, file: String) throws(PolicyError) -> PolicyDraft {
        var reader = PolicyNodeReader(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PolicyError([reader.diagnostic(for: error)])
        } catch {
            throw PolicyError([PolicyDiagnostic(origin: reader.origin(line: 1, column: 1), message: "\(error)")])
        }
        let draft = reader.read(root)
        guard reader.problems.isEmpty else { throw PolicyError(reader.problems) }
        return draft
    }
}

/// A policy file that could not be opened or decoded (exit 66, `EX_NOINPUT`).
public struct PolicyFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): the policy file \(reason)" }
    public var exitCode: Int32 { 66 }
}
