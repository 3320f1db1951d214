import Foundation

/// The checks a policy file's bytes pass before YAML sees them, each reported at its real line and column.
///
/// Bytes that are not UTF-8 and characters YAML forbids (NUL and the other C0 and C1 controls but tab, line
/// feed, carriage return and NEL; DEL; U+FFFE and U+FFFF) are problems with the file's content (exit 65),
/// not with reading it.
enum PolicyText {
    /// The text of `data`, or a ``PolicyError`` at the first byte that is not UTF-8.
    static func decode(_ data: Data, file: String) throws(PolicyError) -> String {
        if let text = String(data: data, encoding: .utf8) { return text }
        let bytes = [UInt8](data)
        var line = 1
        var column = 1
        var index = 0
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            guard length > 0 else {
                let hex = String(bytes[index], radix: 16, uppercase: true)
                throw PolicyError([PolicyDiagnostic(
                    origin: .file(SourceLocation(file: file, line: line, column: column)),
                    message: "byte 0x\(hex.count == 1 ? "0" + hex : hex) is not UTF-8: save the policy as UTF-8 text")])
            }
            if bytes[index] == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += length
        }
        // Foundation refused it, yet every sequence is well formed: report at the end rather than not at all.
        throw PolicyError([PolicyDiagnostic(origin: .file(SourceLocation(file: file, line: line, column: column)),
                                            message: "the file is not UTF-8 text")])
    }

    /// The first character YAML does not allow, as a diagnostic, or `nil`.
    static func forbiddenCharacter(in text: String, file: String) -> PolicyDiagnostic? {
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars {
            if isForbidden(scalar) {
                let code = String(scalar.value, radix: 16, uppercase: true)
                let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
                let name = scalar.value == 0 ? " (NUL)" : ""
                return PolicyDiagnostic(
                    origin: .file(SourceLocation(file: file, line: line, column: column)),
                    message: "control character U+\(padded)\(name) is not allowed in a policy file: remove it")
            }
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x85: return false
        case 0x00...0x1F, 0x7F, 0x80...0x9F, 0xFFFE, 0xFFFF: return true
        default: return false
        }
    }

    /// The length of the well-formed UTF-8 sequence at `index`, or 0.
    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let first = bytes[index]
        let (length, low, high): (Int, UInt8, UInt8)
        switch first {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
        case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
        case 0xED: (length, low, high) = (3, 0x80, 0x9F)
        case 0xE1...0xEF: (length, low, high) = (3, 0x80, 0xBF)
        case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
        case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
        case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
        default: return 0
        }
        guard index + length <= bytes.count, (low...high).contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<max(2, length) where !(0x80...0xBF).contains(bytes[index + offset]) { return 0 }
        return length
    }
}
