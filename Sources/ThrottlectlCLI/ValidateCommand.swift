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
            cannot be throttled but the policy enables throttling).

            Examples:
              throttlectl validate examples/mars-documented.yaml
              throttlectl validate /etc/throttlectl/policy.yaml && systemctl start throttlectl-apply.timer
            """
    )

    @Argument(help: ArgumentHelp("The policy file (YAML or JSON).", valueName: "file"))
    var file: String

    func run() throws {
        do {
            let policy = try PolicyLoader.load(path: file)
            print("\(file): valid: \(policy.summary)")
        } catch {
            throw reportFailure(error)
        }
    }
}
