import Foundation
import Testing

/// One line of `Tests/Corpus/cases.tsv`: arguments, the exit code and a message substring they must give.
///
/// See `Tests/Corpus/make-corpus.py` for the format. Cases marked `reaches-apply` run a real `apply` or
/// `clear` and belong to the kernel suite, which also compares the kernel state before and after.
public struct CorpusCase: Sendable, CustomTestStringConvertible {
    public let name: String
    public let exitCode: Int32
    public let reachesApply: Bool
    /// A file under `Tests/Corpus/files/` for standard input, or `nil` for `/dev/null`.
    public let standardInput: String?
    /// The arguments with `@NAME` already replaced by the path of `Tests/Corpus/files/NAME`.
    public let arguments: [String]
    public let expectedMessage: String

    public var testDescription: String { name }

    /// `Tests/Corpus/`, found from this file (no SwiftPM resources).
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus")

    public static func file(_ name: String) -> String { folder.appendingPathComponent("files/\(name)").path }

    /// Every case in the manifest (a malformed manifest line stops the test run with its line number).
    public static let all: [CorpusCase] = {
        let manifest = folder.appendingPathComponent("cases.tsv")
        guard let text = try? String(contentsOf: manifest, encoding: .utf8) else {
            fatalError("cannot read \(manifest.path)")
        }
        return text.split(separator: "\n").enumerated().compactMap { index, line in
            if line.hasPrefix("#") || line.isEmpty { return nil }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, let code = Int32(fields[1]),
                let raw = try? JSONSerialization.jsonObject(with: Data(fields[4].utf8)) as? [String]
            else { fatalError("\(manifest.path):\(index + 1): not name, exit, reaches, stdin, args, expect") }
            return CorpusCase(
                name: fields[0], exitCode: code, reachesApply: fields[2] == "reaches-apply",
                standardInput: fields[3] == "-" ? nil : fields[3],
                arguments: raw.map { $0.hasPrefix("@") ? file(String($0.dropFirst())) : $0 },
                expectedMessage: fields[5])
        }
    }()

    /// The cases that never need the kernel (everything but real `apply` and `clear`).
    public static let withoutKernel = all.filter { !$0.reachesApply }
}

extension CorpusCase {
    /// The cases that run a real `apply` or `clear`: the kernel suite checks that they change nothing.
    public static let reachingApply = all.filter(\.reachesApply)
}
