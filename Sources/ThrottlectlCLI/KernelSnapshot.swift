import ArgumentParser
import TrafficControl

/// The one reader of the kernel's state for an interface, shared by `apply`, `clear` and `status`: a
/// connection and everything on the interface and its IFB, read before anything is written.
struct KernelSnapshot {
    let kernel: KernelConnection
    let observed: ObservedState

    enum Outcome {
        case present(KernelSnapshot)
        /// No interface of that name: the connection, for whatever may be left of it (an orphan IFB).
        case missing(KernelConnection)
    }

    /// Reads `interface`; any failure but a missing interface is reported and ends with its exit code.
    static func take(interface: String) throws -> Outcome {
        let kernel: KernelConnection
        do {
            kernel = try KernelConnection()
            return .present(KernelSnapshot(kernel: kernel, observed: try ObservedState.read(interfaceName: interface,
                                                                                             from: kernel)))
        } catch let error as NetlinkError where error.isNotFound {
            // The connection itself cannot be "not found"; a fresh one is as good as the first.
            return .missing(try KernelConnection())
        } catch {
            printError("\(interface): cannot read the kernel's traffic control: \(error)")
            throw KernelFailure.exitCode(for: error)
        }
    }

    /// Reads `interface`, which must exist: a missing one is reported and ends with 75 (temporary).
    static func require(interface: String) throws -> KernelSnapshot {
        switch try take(interface: interface) {
        case .present(let snapshot): return snapshot
        case .missing: throw missing(interface)
        }
    }

    static func missing(_ interface: String) -> ExitCode {
        printError("\(interface): no such interface (it may not be up yet); nothing was changed")
        return ExitCode(ExitStatus.temporaryFailure.rawValue)
    }
}
