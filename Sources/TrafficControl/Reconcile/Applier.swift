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
///
/// With a ``BatchingWriter``, runs of consecutive batchable operations go to the kernel together (many
/// netlink messages per `sendmsg`). The kernel carries out each message on its own, so after a failure in a
/// batch every operation that succeeded (before or after it) is undone.
public struct Applier {
    /// Consecutive batchable operations below this count are sent one by one.
    public static let minimumBatch = 4

    public init() {}

    public func apply(_ planned: [PlannedOperation], with writer: TrafficControlWriter) -> ApplyOutcome {
        var outcome = ApplyOutcome(performed: [], failure: nil, rolledBack: [], rollbackFailures: [])
        var done: [Int] = []
        var index = 0
        while index < planned.count {
            var end = index
            if let batching = writer as? BatchingWriter {
                while end < planned.count && batching.canBatch(planned[end].operation) { end += 1 }
            }
            if end - index >= Self.minimumBatch, let batching = writer as? BatchingWriter {
                let results = batching.perform(batch: planned[index..<end].map(\.operation))
                for (offset, result) in results.enumerated() {
                    if let error = result {
                        if outcome.failure == nil { outcome.failure = (planned[index + offset].operation, error) }
                    } else {
                        done.append(index + offset)
                        outcome.performed.append(planned[index + offset].operation)
                    }
                }
                index = end
            } else {
                do {
                    try writer.perform(planned[index].operation)
                    done.append(index)
                    outcome.performed.append(planned[index].operation)
                } catch {
                    outcome.failure = (planned[index].operation, error)
                }
                index += 1
            }
            if outcome.failure != nil {
                rollBack(done.map { planned[$0] }, with: writer, into: &outcome)
                return outcome
            }
        }
        return outcome
    }

    private func rollBack(_ done: [PlannedOperation], with writer: TrafficControlWriter, into outcome: inout ApplyOutcome) {
        for step in done.reversed() {
            for undo in step.undo {
                do {
                    try writer.perform(undo)
                    outcome.rolledBack.append(undo)
                } catch {
                    outcome.rollbackFailures.append((undo, error))
                }
            }
        }
    }
}
