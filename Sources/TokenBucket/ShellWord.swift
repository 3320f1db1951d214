/// Words for printed `tc` and `ip` command lines, quoted so that pasting one into a shell runs only it.
///
/// An interface may be named `x$(id)` or `a;b`: unquoted in a dry run's output, a person copying the line
/// would run the substitution. Safe words print as they are; others go in single quotes.
public enum ShellWord {
    /// `word` as POSIX `sh` reads it back unchanged.
    public static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "_-.,:/@%+=".unicodeScalars.contains(scalar)
        }
        if plain { return word }
        return "'" + word.replacingSingleQuotes() + "'"
    }
}

extension String {
    fileprivate func replacingSingleQuotes() -> String {
        var out = ""
        for character in self { out += character == "'" ? "'\\''" : String(character) }
        return out
    }
}
