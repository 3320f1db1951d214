/// What happened when operations were carried out.
public struct ApplyOutcome: Sendable {
    /// The operations performed, in order (after a rollback: those that were undone too).
    public var performed: [TrafficControlOperation]
    /// The operation that failed, and why.
    public var failure: (operation: TrafficControlOperation, error: Error)?
    /// The undo operations run after the failure, and any that failed in turn.
    public var rolledBack: [TrafficControlOperation]
    public var rollbackFailures: [(operation: TrafficControlOperation, error: Error)]

    public var succeeded: Bool { failure == nil }
}

/// Carries out planned operations in order; if one fails, undoes the ones already done, newest first.
public struct Applier {
    public init() {}

    public func apply(_ planned: [PlannedOperation], with writer: TrafficControlWriter) -> ApplyOutcome {
        var outcome = ApplyOutcome(performed: [], failure: nil, rolledBack: [], rollbackFailures: [])
        for (index, step) in planned.enumerated() {
            do {
                try writer.perform(step.operation)
                outcome.performed.append(step.operation)
            } catch {
                outcome.failure = (step.operation, error)
                for done in planned[..<index].reversed() {
                    for undo in done.undo {
                        do {
                            try writer.perform(undo)
                            outcome.rolledBack.append(undo)
                        } catch {
                            outcome.rollbackFailures.append((undo, error))
                        }
                    }
                }
                return outcome
            }
        }
        return outcome
    }
}
