import ArgumentParser
import ThrottlePolicy

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exit statuses of `throttlectl` (sysexits, so that cron and systemd can act on them).
public enum ExitStatus: Int32, Sendable {
    case success = 0
    case failure = 1
    case usage = 64
    case invalidInput = 65
    case noInput = 66
    case profileCannotThrottle = 69
    case foreignRoot = 73
    case temporaryFailure = 75
    case noPermission = 77
}

/// Writes `text` and a newline to standard error, with control characters shown as escapes.
///
/// Messages quote what people typed and what files hold; an escape sequence in a zone name or a description
/// must not reach the terminal as one.
func printError(_ text: String) {
    FileHandleWriter.standardError.write(TerminalSafe.text(text) + "\n")
}

/// Text with every control character but line feed and tab written as `\u{…}`.
enum TerminalSafe {
    static func text(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}

/// Unbuffered writes to a file descriptor (standard error must not wait behind standard output).
struct FileHandleWriter {
    let descriptor: Int32
    static let standardError = FileHandleWriter(descriptor: 2)

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                #if canImport(Glibc)
                    Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                    Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
            }
            if written <= 0 { return }
            offset += written
        }
    }
}

/// Reports a policy problem on standard error and returns the exit code to end with.
func reportFailure(_ error: Error) -> ExitCode {
    let problems = PolicyProblems(error)
    for line in problems.lines { printError(line) }
    return ExitCode(problems.exitCode)
}

/// A policy problem as lines for a person (`FILE:LINE:COLUMN: …` for files) and the exit code it calls for;
/// `reportFailure` prints them, the daemon logs them when a reload fails.
struct PolicyProblems {
    var lines: [String]
    var exitCode: Int32

    init(_ error: Error) {
        switch error {
        case let error as PolicyError:
            lines = error.diagnostics.map(\.description)
            exitCode = error.exitCode
        case let error as PolicyFileError:
            lines = [error.description]
            exitCode = error.exitCode
        case let error as ValueError:
            lines = [error.message]
            exitCode = error.category.exitCode
        case let error as FlagConflict:
            lines = ["Error: \(error.message)"]
            exitCode = ExitStatus.usage.rawValue
        default:
            lines = ["\(error)"]
            exitCode = ExitStatus.failure.rawValue
        }
    }
}
