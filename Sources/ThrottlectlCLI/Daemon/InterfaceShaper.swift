import Foundation
import ThrottlePolicy
import TokenBucket
import TrafficControl

/// One pass of `apply` for one interface, as the daemon needs it: take the interface's lock (the same one
/// `apply` takes), read the kernel, reconcile with the plan for the window, write, journal, release the lock.
/// Nothing is printed; the outcome says what happened, for the daemon's log.
struct InterfaceShaper {
    let stateDir: String
    let runDir: String
    let force: Bool
    /// Seconds to wait for the lock (a cron `apply` may hold it for a moment).
    let lockWait: Double
    let kernel: KernelConnection
    let packetClock: PacketSchedulerClock
    /// Ends a wait for the lock early (the daemon was asked to stop).
    var abandonWait: () -> Bool = { false }
    /// `--bucket-sizing` (`nil`: the policy's `bucket-sizing`).
    var sizing: BucketSizing? = nil

    enum Outcome {
        /// The kernel already matched the plan.
        case unchanged(ObservedState)
        /// Changes were made; the operations say which.
        case applied([TrafficControlOperation], warnings: [String])
        /// The interface does not exist (now); the IFBs made for it that no interface uses any more (it was
        /// deleted, not renamed) were removed, as `clear` removes them, so that recreating it does not pile them up.
        case missing(removedIFBs: [String])
        /// The lock is held by another throttlectl.
        case busy(String)
        /// Another `throttlectl run` serves the interface (it holds ``InterfaceLock/daemon(directory:interface:)``):
        /// this one leaves it alone until that one stops.
        case standingAside(String)
        /// Something stopped the pass; nothing (or a rolled-back change) was written.
        case failed([String])
    }

    /// Brings `interface` to `window` under `policy` (a `nil` window: removes everything of ours).
    func shape(_ interface: String, window: Window?, policy: DaemonPolicy?) -> Outcome {
        let lock: InterfaceLock
        do {
            lock = try InterfaceLock(directory: runDir, interface: interface, wait: lockWait, abandon: abandonWait)
        } catch {
            if case .busy = error as? InterfaceLock.Failure { return .busy("\(error)") }
            return .failed(["\(error)"])
        }
        return withExtendedLifetime(lock) { shapeLocked(interface, window: window, policy: policy) }
    }

    /// Deletes the orphan IFBs of `interface` (``OrphanIFB/find(serving:in:)``) and journals it; the names removed.
    private func removeOrphans(_ interface: String) -> [String] {
        guard let orphans = try? OrphanIFB.find(serving: interface, in: kernel).orphans, !orphans.isEmpty else {
            return []
        }
        let operations = orphans.map { PlannedOperation(operation: .deleteLink($0.name), undo: []) }
        let outcome = Applier().apply(operations, with: TestHooks.writer(LibnlWriter(kernel: kernel)))
        var report = ApplyReport(interface: interface, window: nil, timeZone: .current, plan: nil,
                                 operations: operations.map(\.operation), dryRun: false)
        report.outcome = outcome
        try? StateStore(directory: stateDir).journal(report.journalEntry)
        return outcome.performed.map { "\($0)" }
    }

    /// The interface's state, read without the lock (for metrics: nothing is written).
    func observe(_ interface: String) throws -> ObservedState {
        try ObservedState.read(interfaceName: interface, from: kernel)
    }

    private func shapeLocked(_ interface: String, window: Window?, policy: DaemonPolicy?) -> Outcome {
        let observed: ObservedState
        do { observed = try ObservedState.read(interfaceName: interface, from: kernel) } catch {
            if let error = error as? NetlinkError, error.isNotFound {
                return .missing(removedIFBs: removeOrphans(interface))
            }
            return .failed(["\(interface): cannot read the kernel's traffic control: \(error)"])
        }
        let store = StateStore(directory: stateDir)
        let recordedRoot: QdiscSpec?
        do { recordedRoot = try store.recordedRoot(for: interface) } catch { return .failed([error.description]) }
        var plan: ShapingPlan?
        if let window, let policy {
            do throws(TokenBucketError) {
                plan = try PlanBuilder(policy: policy.policy, clock: packetClock, selection: policy.traffic?.selection,
                                       sizing: sizing ?? policy.policy.bucketSizing)
                    .plan(window: window, interface: observed.interface)
            } catch {
                return .failed(["\(interface): \(error.message)"])
            }
        }
        let reconciliation: Reconciliation
        do {
            reconciliation = try Reconciler().reconcile(plan: plan, observed: observed, recordedRoot: recordedRoot,
                                                        force: force)
        } catch {
            return .failed(["\(interface): \(error.description)"])
        }
        let options = ShapingSession.options(interface: interface, stateDir: stateDir, runDir: runDir)
        let session = ShapingSession(options: options, lock: nil,
                                     snapshot: KernelSnapshot(kernel: kernel, observed: observed), store: store,
                                     recordedRoot: recordedRoot)
        var report = ApplyReport(interface: interface, window: window, timeZone: policy?.policy.timeZone ?? .current,
                                 plan: plan, operations: reconciliation.operations.map(\.operation), dryRun: false)
        report.selection = policy?.traffic.map(SelectionReport.init)
        let written = session.write(reconciliation, report: report)
        if let failure = written.failure { return .failed(written.warnings + failure.lines) }
        if reconciliation.operations.isEmpty { return .unchanged(observed) }
        return .applied(reconciliation.operations.map(\.operation), warnings: written.warnings)
    }
}
