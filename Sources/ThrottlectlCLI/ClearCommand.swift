import ArgumentParser
import Foundation
import TrafficControl

/// `throttlectl clear`: removes everything of throttlectl's from an interface.
struct ClearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear",
        abstract: "Remove throttlectl's qdiscs, filters and IFB from an interface, and restore a recorded root.",
        discussion: """
            Only throttlectl's own objects are removed; an ingress qdisc is removed only when no other filters \
            remain on it. A root qdisc replaced with `apply --force` is put back as it was recorded. When the \
            interface no longer exists, the IFB throttlectl made for it (found by its alias) is removed.

            Examples:
              throttlectl clear --interface eth0
              throttlectl clear -i eth0 --json
            """
    )

    @OptionGroup var interfaceOptions: InterfaceOptions

    @Flag(help: "Print JSON: changed, operations.")
    var json = false

    func run() throws {
        guard NetworkAdminCapability.isEffective else {
            printError(NetworkAdminCapability.advice)
            throw ExitCode(ExitStatus.noPermission.rawValue)
        }
        let lock = try ShapingSession.lock(interfaceOptions)
        let snapshot: KernelSnapshot
        switch try KernelSnapshot.take(interface: interfaceOptions.interface) {
        case .present(let present): snapshot = present
        case .missing(let kernel):
            return try OrphanIFB.clear(interface: interfaceOptions.interface, kernel: kernel,
                                       store: StateStore(directory: interfaceOptions.stateDir), json: json)
        }
        let session = try ShapingSession(options: interfaceOptions, lock: lock, snapshot: snapshot)
        let reconciliation = try session.reconcile(plan: nil, force: false)
        let report = ApplyReport(interface: interfaceOptions.interface, window: nil, timeZone: .current, plan: nil,
                                 operations: reconciliation.operations.map(\.operation), dryRun: false)
        try session.carryOut(reconciliation, report: report, json: json)
        ConvergenceRecord(store: session.store, interface: interfaceOptions.interface).remove()
    }
}
