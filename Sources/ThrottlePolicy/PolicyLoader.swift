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
        "exception-dates", "os-profile", "description", "traffic", "bucket-sizing",
    ]

    /// Reads and validates the policy file at `path` (`-` or `/dev/stdin`: standard input).
    /// - Throws: ``PolicyFileError`` when the file cannot be read; ``PolicyError`` for its content.
    public static func load(path: String) throws -> Policy {
        try draft(text: readText(path: path), file: path).build()
    }

    /// True for the names that mean standard input.
    public static func readsStandardInput(_ path: String) -> Bool { path == "-" || path == "/dev/stdin" }

    /// The file's text (`-` or `/dev/stdin`: standard input).
    /// - Throws: ``PolicyFileError`` (exit 66) when it cannot be opened or read; ``PolicyError`` (exit 65, with
    ///   a line and column) when its bytes are not UTF-8.
    public static func readText(path: String) throws -> String {
        let bytes: [UInt8]
        do throws(BoundedFileReader.Failure) {
            bytes = try BoundedFileReader.read(path, limit: maximumFileBytes)
        } catch {
            switch error {
            case .unreadable(let reason):
                throw PolicyFileError(path: path, reason: readsStandardInput(path) ? "(standard input) \(reason)" : reason)
            case .tooLarge(let limit):
                throw PolicyError([PolicyDiagnostic(
                    origin: .file(SourceLocation(file: path, line: 1, column: 1)),
                    message: "the file is larger than \(limit / 1_048_576) MiB: that is not a policy file")])
            }
        }
        return try PolicyText.decode(Data(bytes), file: path)
    }

    /// Policy files larger than this are refused unread (a policy is a few hundred bytes).
    public static let maximumFileBytes = 4 * 1_048_576

    /// Validates `text` as a complete policy; `file` names it in messages.
    public static func policy(text: String, file: String) throws(PolicyError) -> Policy {
        try draft(text: text, file: file).build()
    }

    /// Parses `text` into a draft, collecting every syntax, key and value problem.
    public static func draft(text: String, file: String) throws(PolicyError) -> PolicyDraft {
        var reader = PolicyNodeReader(file: file)
        if let forbidden = PolicyText.forbiddenCharacter(in: text, file: file) { throw PolicyError([forbidden]) }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PolicyError([reader.diagnostic(for: error, text: text)])
        } catch {
            throw PolicyError([PolicyDiagnostic(origin: reader.origin(line: 1, column: 1), message: "\(error)")])
        }
        let draft = reader.read(root)
        guard reader.problems.isEmpty else { throw PolicyError(reader.allProblems) }
        return draft
    }
}

/// A policy file that could not be opened or decoded (exit 66, `EX_NOINPUT`).
public struct PolicyFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The path as given (`-` for standard input).
    public var path: String
    /// Why it could not be read.
    public var reason: String
    /// `PATH: the policy file REASON`.
    public var description: String { "\(path): the policy file \(reason)" }
    /// 66 (`EX_NOINPUT`).
    public var exitCode: Int32 { 66 }
}
