import ArgumentParser
import Foundation

/// Finds an option a command does not have, so that it is reported as unknown.
///
/// ArgumentParser checks for missing arguments and runs `validate()` before it looks for unknown options, so
/// `show --polcy x.yaml` said "no policy given" and `params --bogus` "missing --rate". When parsing fails,
/// the arguments are scanned against the command's own option names (from ArgumentParser's help dump) and
/// an unknown one is reported instead.
enum UnknownOptions {
    /// One command's options: every long and short name, and which of them take a value.
    struct Names {
        var long: Set<String> = ["help", "version", "experimental-dump-help"]
        var short: Set<Character> = ["h"]
        var longTakingValue: Set<String> = []
        var shortTakingValue: Set<Character> = []
    }

    /// The first argument that names no option of the command it is given to, with that command's name.
    static func first(in arguments: [String], root: ParsableCommand.Type) -> (option: String, command: String)? {
        guard let name = arguments.first, !name.hasPrefix("-"),
            let tree = try? JSONSerialization.jsonObject(with: Data(root._dumpHelp().utf8)) as? [String: Any],
            let rootCommand = tree["command"] as? [String: Any],
            let subcommands = rootCommand["subcommands"] as? [[String: Any]],
            let command = subcommands.first(where: { $0["commandName"] as? String == name })
        else { return nil }
        let names = optionNames(of: command)
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" { break }
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let option = String(body.prefix(while: { $0 != "=" }))
                guard names.long.contains(option) else { return (argument, name) }
                if names.longTakingValue.contains(option) && !body.contains("=") { index += 1 }
            } else if argument.hasPrefix("-"), let letter = argument.dropFirst().first, letter.isLetter {
                guard names.short.contains(letter) else { return (argument, name) }
                if names.shortTakingValue.contains(letter) && argument.count == 2 { index += 1 }
            }
        }
        return nil
    }

    private static func optionNames(of command: [String: Any]) -> Names {
        var names = Names()
        for argument in command["arguments"] as? [[String: Any]] ?? [] {
            let takesValue = argument["kind"] as? String == "option"
            for entry in argument["names"] as? [[String: Any]] ?? [] {
                guard let text = entry["name"] as? String else { continue }
                switch entry["kind"] as? String {
                case "long", "longWithSingleDash":
                    names.long.insert(text)
                    if takesValue { names.longTakingValue.insert(text) }
                case "short":
                    if let letter = text.first {
                        names.short.insert(letter)
                        if takesValue { names.shortTakingValue.insert(letter) }
                    }
                default: break
                }
            }
        }
        return names
    }
}
