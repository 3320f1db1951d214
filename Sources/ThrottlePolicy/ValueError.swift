/// A value that could not be read, with a message a person can act on.
///
/// Value parsers (rates, times, dates, day names, zones, profiles) throw this without knowing where the
/// value came from; the caller attaches the origin (file, line and column, or the flag's name).
public struct ValueError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong and, where it helps, how to write it instead.
    public var message: String
    /// How the problem is classified for exit codes.
    public var category: DiagnosticCategory

    /// An error saying `message`, of `category` (which sets the exit code).
    public init(_ message: String, category: DiagnosticCategory = .invalid) {
        self.message = message
        self.category = category
    }

    /// The message.
    public var description: String { message }
}

/// The classes of policy problems, each with its own exit code (sysexits).
public enum DiagnosticCategory: Sendable, Hashable {
    /// Malformed or out-of-range input: exit 65 (`EX_DATAERR`).
    case invalid
    /// The OS profile cannot be throttled, but the policy enables throttling: exit 69 (`EX_UNAVAILABLE`).
    case profileCannotThrottle

    /// The process exit status that reports this category.
    public var exitCode: Int32 {
        switch self {
        case .invalid: return 65
        case .profileCannotThrottle: return 69
        }
    }
}
