/// A place in a policy file: 1-based line and column (columns count Unicode scalars).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file's path, as given.
    public var file: String
    /// The line, from 1.
    public var line: Int
    /// The column, from 1, in Unicode scalars.
    public var column: Int

    /// The place at `line` and `column` of `file`.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COLUMN`.
    public var description: String { "\(file):\(line):\(column)" }
}

/// Where a policy value came from, so that a problem can point at it.
public enum ValueOrigin: Hashable, Sendable {
    /// A value in a policy file.
    case file(SourceLocation)
    /// A command-line flag, named as typed (`--work-days`).
    case flag(String)
    /// A built-in default or a value set in code.
    case code
}

/// One problem with a policy, where it is, and how serious it is.
public struct PolicyDiagnostic: Hashable, Sendable, CustomStringConvertible {
    /// Where the problem is: a place in a file, a flag, or code.
    public var origin: ValueOrigin
    /// What is wrong, for people.
    public var message: String
    /// How serious it is, which sets the exit code.
    public var category: DiagnosticCategory

    /// A problem at `origin`.
    public init(origin: ValueOrigin, message: String, category: DiagnosticCategory = .invalid) {
        self.origin = origin
        self.message = message
        self.category = category
    }

    init(_ error: ValueError, at origin: ValueOrigin) {
        self.init(origin: origin, message: error.message, category: error.category)
    }

    /// `FILE:LINE:COLUMN: message`, `--flag: message`, or the message alone.
    public var description: String {
        switch origin {
        case .file(let location): return "\(location): \(message)"
        case .flag(let name): return "\(name): \(message)"
        case .code: return message
        }
    }
}

extension PolicyDiagnostic {
    /// `diagnostics` with those in a file ordered by line, then column (flags and defaults first, as found),
    /// so that a reader goes down the file once.
    static func inPlaceOrder(_ diagnostics: [PolicyDiagnostic]) -> [PolicyDiagnostic] {
        func key(_ entry: (offset: Int, element: PolicyDiagnostic)) -> (Int, Int, Int, Int) {
            guard case .file(let location) = entry.element.origin else { return (0, 0, 0, entry.offset) }
            return (1, location.line, location.column, entry.offset)
        }
        return diagnostics.enumerated().sorted { key($0) < key($1) }.map(\.element)
    }
}

/// Every problem found in a policy; thrown when a policy cannot be used.
public struct PolicyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in the order they were found (file order for policy files).
    public var diagnostics: [PolicyDiagnostic]

    /// The error for `diagnostics` (at least one).
    public init(_ diagnostics: [PolicyDiagnostic]) { self.diagnostics = diagnostics }

    /// 65 when anything is malformed or out of range; 69 when the only problem is a profile that cannot be
    /// throttled.
    public var exitCode: Int32 {
        diagnostics.contains { $0.category == .invalid }
            ? DiagnosticCategory.invalid.exitCode : DiagnosticCategory.profileCannotThrottle.exitCode
    }

    /// One diagnostic per line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
