import ArgumentParser
import Foundation
import ThrottlePolicy
import TrafficControl

/// One locked conversation with the kernel about one interface: read, reconcile, write, journal.
struct ShapingSession {
    let options: InterfaceOptions
    let kernel: KernelConnection
    let observed: ObservedState
    let store: StateStore
    private let lock: InterfaceLock?

    /// Takes the interface's lock (unless `lock` is false, for dry runs) and reads the kernel's state.
    init(options: InterfaceOptions, lock: Bool) throws {
        self.options = options
        store = StateStore(directory: options.stateDir)
        do {
            self.lock = lock ? try InterfaceLock(directory: options.runDir, interface: options.interface,
                                                 wait: options.wait) : nil
        } catch let failure as InterfaceLock.Failure {
            printError(failure.description)
            if case .busy = failure { throw ExitCode(ExitStatus.temporaryFailure.rawValue) }
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        do {
            kernel = try KernelConnection()
            observed = try ObservedState.read(interfaceName: options.interface, from: kernel)
        } catch let error as NetlinkError where error.isNotFound {
            printError("\(options.interface): no such interface (it may not be up yet); nothing was changed")
            throw ExitCode(ExitStatus.temporaryFailure.rawValue)
        } catch {
            printError("\(options.interface): cannot read the kernel's traffic control: \(error)")
            throw KernelFailure.exitCode(for: error)
        }
    }

    func reconcile(plan: ShapingPlan?, force: Bool) throws -> Reconciliation {
        do {
            return try Reconciler().reconcile(plan: plan, observed: observed,
                                              recordedRoot: store.recordedRoot(for: options.interface), force: force)
        } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.foreignRoot.rawValue)
        }
    }

    /// Performs the operations (rolling back on failure), journals the change, and prints the report.
    func carryOut(_ reconciliation: Reconciliation, report: ApplyReport, json: Bool) throws {
        guard !reconciliation.operations.isEmpty else {
            print(json ? report.json : report.unchangedText)
            return
        }
        if let replaced = reconciliation.replacedForeignRoot {
            do { try store.record(replaced) } catch {
                printError("cannot record the foreign root qdisc: \(FileErrorText.describe(error, path: options.stateDir)); "
                    + "nothing was changed")
                throw ExitCode(ExitStatus.failure.rawValue)
            }
        }
        let outcome = Applier().apply(reconciliation.operations, with: LibnlWriter(kernel: kernel))
        var entry = report
        entry.outcome = outcome
        do { try store.journal(entry.journalEntry) } catch {
            printError("warning: cannot append to the journal: \(FileErrorText.describe(error, path: store.journalPath))")
        }
        guard let failure = outcome.failure else {
            if reconciliation.restoresRecordedRoot { store.forgetRecordedRoot(for: options.interface) }
            print(json ? entry.json : entry.appliedText)
            return
        }
        if reconciliation.replacedForeignRoot != nil { store.forgetRecordedRoot(for: options.interface) }
        printError("\(options.interface): \(KernelFailure.message(for: failure.operation, error: failure.error))")
        if outcome.rollbackFailures.isEmpty {
            printError("rolled back: \(outcome.performed.count) change(s) undone; the interface is as it was")
        } else {
            for (operation, error) in outcome.rollbackFailures {
                printError("rollback could not \(operation): \(error)")
            }
        }
        if json { print(entry.json) }
        throw KernelFailure.exitCode(for: failure.error)
    }
}
