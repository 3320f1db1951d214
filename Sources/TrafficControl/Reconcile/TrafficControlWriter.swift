/// Carries out operations against a kernel. The libnl writer is the real one; tests wrap it to inject
/// failures, and dry runs use none.
public protocol TrafficControlWriter: AnyObject {
    /// Performs one operation, or throws without having changed anything.
    func perform(_ operation: TrafficControlOperation) throws
}
