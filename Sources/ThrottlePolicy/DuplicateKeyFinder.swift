import Yams

/// Finds where a repeated key stands the second time.
///
/// Yams refuses a mapping with a repeated key while composing and reports the first occurrence only; an
/// operator needs the line of the repeat, which is usually the one just added.
enum DuplicateKeyFinder {
    /// The position of the next `name:` (or `"name":`) key after `first`, or `nil` when none is found.
    static func secondOccurrence(of name: String, in text: String, after first: Mark) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        for lineIndex in (first.line - 1)..<lines.count {
            let scalars = Array(lines[lineIndex].unicodeScalars)
            let startColumn = lineIndex == first.line - 1 ? first.column + name.unicodeScalars.count : 0
            var column = max(0, startColumn)
            while column < scalars.count {
                if let match = keyMatch(name, in: scalars, at: column) { return (lineIndex + 1, match + 1) }
                column += 1
            }
        }
        return nil
    }

    /// The column where a key `name` starts at `column` (its opening quote included), if one does.
    private static func keyMatch(_ name: String, in scalars: [Unicode.Scalar], at column: Int) -> Int? {
        let previous = column > 0 ? scalars[column - 1] : " "
        guard [" ", "\t", "{", ",", "\""].contains(previous) else { return nil }
        var index = column
        let quoted = scalars[index] == "\""
        if quoted { index += 1 }
        for scalar in name.unicodeScalars {
            guard index < scalars.count, scalars[index] == scalar else { return nil }
            index += 1
        }
        if quoted {
            guard index < scalars.count, scalars[index] == "\"" else { return nil }
            index += 1
        }
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        guard index < scalars.count, scalars[index] == ":" else { return nil }
        return column
    }
}
