import ArgumentParser
import ThrottlePolicy

/// The MARS-style selection flags, mirroring a policy's `traffic` keys. With `--policy`, each flag given
/// replaces that key of the file's section (as the schedule flags replace its settings).
struct TrafficOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Microsoft's service-tags JSON (weekly download, or `az network list-service-tags`); relative to the "
            + "working directory.", valueName: "file"))
    var serviceTags: String?

    @Option(name: .customLong("tag"), parsing: .singleValue,
            help: ArgumentHelp("Shape traffic to this service tag (repeatable, or comma-separated).",
                               valueName: "name"))
    var tags: [String] = []

    @Option(name: .customLong("prefix"), parsing: .singleValue,
            help: ArgumentHelp("Shape traffic to this remote prefix too (repeatable, or comma-separated).",
                               valueName: "cidr"))
    var prefixes: [String] = []

    @Option(name: .customLong("exclude-prefix"), parsing: .singleValue,
            help: ArgumentHelp("Leave this remote prefix out (repeatable, or comma-separated).", valueName: "cidr"))
    var excludedPrefixes: [String] = []

    // Unconditional, so that `--port -1` reaches the port check and its message.
    @Option(name: .customLong("port"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Only these remote TCP/UDP ports (repeatable, or comma-separated; default any).",
                               valueName: "n"))
    var ports: [String] = []

    @Option(help: ArgumentHelp(
        "mars: tags AzureBackup, Storage, AzureActiveDirectory and port 443 (needs --service-tags).",
        valueName: "name"))
    var preset: String?

    /// The selection these flags give (`nil` when none is given), each value with its flag as the origin.
    /// - Throws: ``PolicyError`` naming the flag of every malformed value.
    func draft() throws(PolicyError) -> TrafficDraft? {
        var draft = TrafficDraft(origin: .flag("flags"))
        var problems: [PolicyDiagnostic] = []
        func read<Value>(_ texts: [String], flag: String, _ parse: (String) throws(ValueError) -> Value)
            -> [TrafficRequest.Item<Value>]?
        {
            guard !texts.isEmpty else { return nil }
            var items: [TrafficRequest.Item<Value>] = []
            for text in texts.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
                do throws(ValueError) {
                    items.append(.init(try parse(String(text)), origin: .flag(flag)))
                } catch {
                    problems.append(PolicyDiagnostic(origin: .flag(flag), message: error.message))
                }
            }
            return items
        }
        func item(_ kind: String) -> (String) throws(ValueError) -> String {
            { (text: String) throws(ValueError) in try TrafficRequest.item(parsing: text, kind: kind) }
        }
        if let serviceTags {
            do throws(ValueError) {
                draft.serviceTags = .init(try TrafficRequest.item(parsing: serviceTags, kind: "service-tags file path"),
                                          origin: .flag("--service-tags"))
            } catch { problems.append(PolicyDiagnostic(origin: .flag("--service-tags"), message: error.message)) }
        }
        draft.tags = read(tags, flag: "--tag", item("tag name"))
        draft.prefixes = read(prefixes, flag: "--prefix", item("prefix"))
        draft.excludedPrefixes = read(excludedPrefixes, flag: "--exclude-prefix", item("prefix"))
        draft.ports = read(ports, flag: "--port", TrafficRequest.port(parsing:))
        if let preset {
            do throws(ValueError) {
                draft.preset = .init(try TrafficPreset(parsing: preset), origin: .flag("--preset"))
            } catch { problems.append(PolicyDiagnostic(origin: .flag("--preset"), message: error.message)) }
        }
        guard problems.isEmpty else { throw PolicyError(problems) }
        return draft.isEmpty ? nil : draft
    }
}
