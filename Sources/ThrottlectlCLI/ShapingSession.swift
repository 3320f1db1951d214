import ArgumentParser
import Foundation
import ThrottlePolicy
import TrafficControl

/// One locked conversation with the kernel about one interface: read, reconcile, write, journal.
struct ShapingSession {
    let options: InterfaceOptions
    let snapshot: KernelSnapshot
    let store: StateStore
    /// The foreign root recorded for the interface, read once under the lock.
    let recordedRoot: QdiscSpec?
    private let lock: InterfaceLock?

    var kernel: KernelConnection { snapshot.kernel }
    var observed: ObservedState { snapshot.observed }

    /// Takes the interface's lock (unless `lock` is false, for dry runs) and reads the kernel's state.
    init(options: InterfaceOptions, lock: Bool) throws {
        let held = lock ? try Self.lock(options) : nil
        try self.init(options: options, lock: held, snapshot: KernelSnapshot.require(interface: options.interface))
    }

    init(options: InterfaceOptions, lock: InterfaceLock?, snapshot: KernelSnapshot) throws {
        self.options = options
        self.lock = lock
        self.snapshot = snapshot
        store = StateStore(directory: options.stateDir)
        recordedRoot = try Self.recordedRoot(store, options.interface)
    }

    /// The interface's lock, or the message and exit code (75 busy, 1 unusable) for why it cannot be had.
    static func lock(_ options: InterfaceOptions) throws -> InterfaceLock {
        do {
            return try InterfaceLock(directory: options.runDir, interface: options.interface, wait: options.wait)
        } catch let failure as InterfaceLock.Failure {
            printError(failure.description)
            if case .busy = failure { throw ExitCode(ExitStatus.temporaryFailure.rawValue) }
            throw ExitCode(ExitStatus.failure.rawValue)
        }
    }

    /// The recorded root, or the message and exit code for a record that cannot be trusted (65: its
    /// content is bad; 73: the state directory is unsafe or unreadable). Nothing has been changed yet.
    static func recordedRoot(_ store: StateStore, _ interface: String) throws -> QdiscSpec? {
        do { return try store.recordedRoot(for: interface) } catch {
            printError(error.description)
            if case .corruptRecord = error { throw ExitCode(ExitStatus.invalidInput.rawValue) }
            throw ExitCode(ExitStatus.foreignRoot.rawValue)
        }
    }

    func reconcile(plan: ShapingPlan?, force: Bool) throws -> Reconciliation {
        do {
            return try Reconciler().reconcile(plan: plan, observed: observed, recordedRoot: recordedRoot, force: force)
        } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.foreignRoot.rawValue)
        }
    }

    /// Performs the operations (rolling back on failure), journals the change, and prints the report.
    func carryOut(_ reconciliation: Reconciliation, report: ApplyReport, json: Bool) throws {
        guard !reconciliation.operations.isEmpty else {
            if reconciliation.record == .forget { forgetRecord() }
            print(json ? report.json : report.unchangedText)
            return
        }
        if case .write(let replaced) = reconciliation.record {
            do { try store.record(replaced) } catch {
                printError("cannot record the foreign root qdisc: \(FileErrorText.describe(error, path: options.stateDir)); "
                    + "nothing was changed")
                throw ExitCode(ExitStatus.failure.rawValue)
            }
        }
        let outcome = Applier().apply(reconciliation.operations, with: TestHooks.writer(LibnlWriter(kernel: kernel)))
        var entry = report
        entry.outcome = outcome
        do { try store.journal(entry.journalEntry) } catch {
            printError("warning: cannot append to the journal: \(FileErrorText.describe(error, path: store.journalPath))")
        }
        guard let failure = outcome.failure else {
            if reconciliation.record == .forget { forgetRecord() }
            print(json ? entry.json : entry.appliedText)
            return
        }
        printError("\(options.interface): \(KernelFailure.message(for: failure.operation, error: failure.error))")
        if outcome.rollbackFailures.isEmpty {
            if case .write = reconciliation.record { restorePreviousRecord() }
            printError("rolled back: \(outcome.performed.count) change(s) undone; the interface is as it was")
        } else {
            for (operation, error) in outcome.rollbackFailures {
                printError("rollback could not \(operation): \(error)")
            }
            if recordedRoot != nil || reconciliation.record != .keep {
                // The record is what lets `clear` put the foreign root back: never dropped after a failed rollback.
                printError("the record of the foreign root in \(options.stateDir) is kept for `throttlectl clear`")
            }
        }
        if json { print(entry.json) }
        throw KernelFailure.exitCode(for: failure.error)
    }

    private func forgetRecord() {
        do { try store.forgetRecordedRoot(for: options.interface) } catch {
            printError("warning: cannot remove the record of the restored root: \(error)")
        }
    }

    /// After a complete rollback, the record as it was before this run (or none).
    private func restorePreviousRecord() {
        do {
            if let recordedRoot { try store.record(recordedRoot) } else {
                try store.forgetRecordedRoot(for: options.interface)
            }
        } catch {
            printError("warning: cannot put back the previous record of the foreign root: \(error)")
        }
    }
}
