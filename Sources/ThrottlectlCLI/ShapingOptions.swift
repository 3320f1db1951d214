import ArgumentParser

/// Options shared by `apply`, `status` and `clear`: the interface, the lock and the state directory.
struct InterfaceOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("The interface to shape (its IFB carries the downloads).",
                                                    valueName: "name"))
    var interface: String

    @Option(help: ArgumentHelp("Where the journal and recorded roots live.", valueName: "dir"))
    var stateDir: String = "/var/lib/throttlectl"

    @Option(help: ArgumentHelp("Where the per-interface locks live.", valueName: "dir"))
    var runDir: String = "/run/throttlectl"

    @Option(help: ArgumentHelp("Seconds to wait for another throttlectl on the same interface.", valueName: "seconds"))
    var wait: Double = 5

    func validate() throws {
        guard !interface.isEmpty, interface.utf8.count <= 15, !interface.contains("/"), interface != ".", interface != ".."
        else {
            throw ValidationError("\"\(interface)\" is not an interface name (1–15 characters, no \"/\")")
        }
        guard wait >= 0 else { throw ValidationError("--wait cannot be negative") }
    }
}
