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
        let store = StateStore(directory: options.stateDir)
        self.init(options: options, lock: lock, snapshot: snapshot, store: store,
                  recordedRoot: try Self.recordedRoot(store, options.interface))
    }

    /// A session over a snapshot already taken under `lock` (or under a lock the caller holds, as the daemon
    /// does), with the recorded root already read.
    init(options: InterfaceOptions, lock: InterfaceLock?, snapshot: KernelSnapshot, store: StateStore,
         recordedRoot: QdiscSpec?) {
        self.options = options
        self.lock = lock
        self.snapshot = snapshot
        self.store = store
        self.recordedRoot = recordedRoot
    }

    /// The options of a session on `interface`, built in code (the daemon shapes several interfaces).
    static func options(interface: String, stateDir: String, runDir: String) -> InterfaceOptions {
        var options = InterfaceOptions()
        options.interface = interface
        options.stateDir = stateDir
        options.runDir = runDir
        return options
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
            if reconciliation.record == .forget, let warning = forgetRecord() { printError(warning) }
            print(json ? report.json : report.unchangedText)
            return
        }
        let written = write(reconciliation, report: report)
        for warning in written.warnings { printError(warning) }
        guard let failure = written.failure else {
            print(json ? written.report.json : written.report.appliedText)
            return
        }
        for line in failure.lines { printError(line) }
        if json && written.report.outcome != nil { print(written.report.json) }
        throw failure.exitCode
    }

    /// What ``write(_:report:)`` did, for `apply` to print and for the daemon to log.
    struct Written {
        /// The report with the outcome (none when nothing was attempted).
        var report: ApplyReport
        /// Things a person should know that did not stop the change (a journal that cannot be appended to).
        var warnings: [String] = []
        /// Why the change failed, line by line, and the exit code it calls for; `nil` on success.
        var failure: (lines: [String], exitCode: ExitCode)?
    }

    /// Performs the operations (rolling back on failure), records or forgets a foreign root, and journals the
    /// change. Prints nothing: `carryOut` prints, the daemon logs.
    func write(_ reconciliation: Reconciliation, report: ApplyReport) -> Written {
        var written = Written(report: report)
        guard !reconciliation.operations.isEmpty else {
            if reconciliation.record == .forget, let warning = forgetRecord() { written.warnings.append(warning) }
            return written
        }
        if case .write(let replaced) = reconciliation.record {
            do { try store.record(replaced) } catch {
                written.failure = (
                    ["cannot record the foreign root qdisc: \(FileErrorText.describe(error, path: options.stateDir)); "
                        + "nothing was changed"], ExitCode(ExitStatus.failure.rawValue))
                return written
            }
        }
        let outcome = Applier().apply(reconciliation.operations, with: TestHooks.writer(LibnlWriter(kernel: kernel)))
        written.report.outcome = outcome
        do { try store.journal(written.report.journalEntry) } catch {
            written.warnings.append(
                "warning: cannot append to the journal: \(FileErrorText.describe(error, path: store.journalPath))")
        }
        guard let failure = outcome.failure else {
            if reconciliation.record == .forget, let warning = forgetRecord() { written.warnings.append(warning) }
            return written
        }
        var lines = ["\(options.interface): \(KernelFailure.message(for: failure.operation, error: failure.error))"]
        if outcome.rollbackFailures.isEmpty {
            if case .write = reconciliation.record, let warning = restorePreviousRecord() { lines.append(warning) }
            lines.append("rolled back: \(outcome.performed.count) change(s) undone; the interface is as it was")
        } else {
            for (operation, error) in outcome.rollbackFailures {
                lines.append("rollback could not \(operation): \(error)")
            }
            if recordedRoot != nil || reconciliation.record != .keep {
                // The record is what lets `clear` put the foreign root back: never dropped after a failed rollback.
                lines.append("the record of the foreign root in \(options.stateDir) is kept for `throttlectl clear`")
            }
        }
        written.failure = (lines, KernelFailure.exitCode(for: failure.error))
        return written
    }

    /// Forgets the recorded root; a warning when that fails.
    private func forgetRecord() -> String? {
        do { try store.forgetRecordedRoot(for: options.interface) } catch {
            return "warning: cannot remove the record of the restored root: \(error)"
        }
        return nil
    }

    /// After a complete rollback, the record as it was before this run (or none).
    private func restorePreviousRecord() -> String? {
        do {
            if let recordedRoot { try store.record(recordedRoot) } else {
                try store.forgetRecordedRoot(for: options.interface)
            }
        } catch {
            return "warning: cannot put back the previous record of the foreign root: \(error)"
        }
        return nil
    }
}
