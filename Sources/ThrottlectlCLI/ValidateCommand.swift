import ArgumentParser
import ThrottlePolicy

/// `throttlectl validate FILE`: checks a policy file and prints a one-line summary.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a policy file.",
        discussion: """
            Prints a one-line summary and exits 0, or prints one FILE:LINE:COLUMN: message line per problem \
            on standard error and exits 65 (invalid), 66 (file missing or unreadable) or 69 (the OS profile \
            cannot be throttled but the policy enables throttling). A traffic section is resolved against its \
            service-tags file: the summary adds the tags, the prefix counts before and after merging (IPv4, IPv6) \
            and the ports; a tag file that cannot be read is 66, a problem in it or in the selection 65.

            Examples:
              throttlectl validate examples/mars-documented.yaml
              throttlectl validate /etc/throttlectl/policy.yaml && systemctl start throttlectl-apply.timer
            """
    )

    @Argument(help: ArgumentHelp("The policy file (YAML or JSON).", valueName: "file"))
    var file: String

    func run() throws {
        let policy: Policy
        let text: String
        do {
            text = try PolicyLoader.readText(path: file)
            policy = try PolicyLoader.draft(text: text, file: file).build()
        } catch { throw reportFailure(error) }
        // Repeated days and dates are harmless (as in MARS), but worth a word where a person checks the file.
        for warning in PolicyWarnings.repeatedItems(in: text, file: file) { printError(warning.description) }
        // The traffic selection is resolved too: its tag file read, its tags and prefixes checked.
        let traffic = try TrafficSelectionResolver.selectionOrExit(for: policy)
        let selection = traffic.map { "; " + SelectionReport(resolved: $0).summary } ?? ""
        print("\(file): valid: \(policy.summary)\(selection)")
    }
}
