/// Carries out operations against a kernel. The libnl writer is the real one; tests wrap it to inject
/// failures, and dry runs use none.
public protocol TrafficControlWriter: AnyObject {
    /// Performs one operation, or throws without having changed anything.
    func perform(_ operation: TrafficControlOperation) throws
}

/// A writer that can send many operations at once (netlink messages batched per `sendmsg`).
public protocol BatchingWriter: TrafficControlWriter {
    /// Whether `operation` may go into a batch (link changes and look-ups may not).
    func canBatch(_ operation: TrafficControlOperation) -> Bool
    /// Performs every operation, in order; one result per operation (`nil`: done). The kernel carries out each
    /// message on its own, so operations after a failed one may have been done too.
    func perform(batch: [TrafficControlOperation]) -> [Error?]
}
