/// The names the kernel could ever give an interface (net/core/dev.c, `dev_valid_name`), checked before
/// any command talks to the kernel, so that an impossible name is a usage error (64) everywhere.
enum InterfaceName {
    /// `IFNAMSIZ` − 1: the longest name, in bytes.
    static let maximumBytes = 15

    /// Why `name` can never name an interface, or `nil` when it could.
    static func problem(with name: String) -> String? {
        let shown = quoted(name)
        if name.isEmpty { return "an interface name cannot be empty" }
        if name.utf8.count > maximumBytes {
            return "\(shown) is not an interface name: \(name.utf8.count) bytes, the most is \(maximumBytes)"
        }
        if name == "." || name == ".." { return "\(shown) is not an interface name" }
        for scalar in name.unicodeScalars {
            switch scalar {
            case "/", ":": return "\(shown) is not an interface name: it contains \"\(scalar)\""
            case " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}": return "\(shown) is not an interface name: it contains white space"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    return "\(shown) is not an interface name: it contains a control character"
                }
            }
        }
        return nil
    }

    /// `name` in quotes, with control characters and new lines escaped so that a message stays on one line.
    static func quoted(_ name: String) -> String {
        "\"" + name.unicodeScalars.map { scalar in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\""
                ? scalar.escaped(asASCII: true) : String(scalar)
        }.joined() + "\""
    }
}
