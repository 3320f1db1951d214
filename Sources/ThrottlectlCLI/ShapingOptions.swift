import ArgumentParser

/// Options shared by `apply`, `status` and `clear`: the interface, the lock and the state directory, with one
/// check of the interface name for every command.
struct InterfaceOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("The interface to shape (its IFB carries the downloads).",
                                                    valueName: "name"))
    var interface: String

    @Option(help: ArgumentHelp("Where the journal and recorded roots live.", valueName: "dir"))
    var stateDir: String = "/var/lib/throttlectl"

    @Option(help: ArgumentHelp("Where the per-interface locks live.", valueName: "dir"))
    var runDir: String = "/run/throttlectl"

    // Unconditional, so that `--wait -1` reaches the check below instead of reading as an unknown option; a
    // string, so that `--wait ' 5'` gets our message rather than ArgumentParser's.
    @Option(name: .customLong("wait"), parsing: .unconditional,
            help: ArgumentHelp("Seconds to wait for another throttlectl on the same interface (default 5).",
                               valueName: "seconds"))
    var waitText: String?

    /// The seconds `--wait` gives (checked by `validate()`).
    var wait: Double { waitText.flatMap(Double.init) ?? 5 }

    func validate() throws {
        if let problem = InterfaceName.problem(with: interface) { throw ValidationError(problem) }
        if let waitText, Double(waitText) == nil {
            throw ValidationError("--wait takes a number of seconds (0 to 3600), not \"\(waitText)\"")
        }
        guard wait.isFinite else { throw ValidationError("--wait takes a number of seconds, not \(wait)") }
        guard wait >= 0 else { throw ValidationError("--wait cannot be negative (\(wait)): give 0 to 3600 seconds") }
        guard wait <= 3600 else { throw ValidationError("--wait \(wait) is more than an hour: give 0 to 3600 seconds") }
        for (flag, directory) in [("--state-dir", stateDir), ("--run-dir", runDir)] where directory.isEmpty {
            throw ValidationError("\(flag) cannot be empty")
        }
    }
}
