import ArgumentParser
import TrafficControl

/// How a kernel-side failure is reported and which exit code it ends with.
enum KernelFailure {
    /// The exit status for a netlink error: 77 for missing permission, 75 for a missing device (the interface
    /// went away mid-run: try again), else 1.
    static func exitCode(for error: Error) -> ExitCode {
        guard let error = error as? NetlinkError else { return ExitCode(ExitStatus.failure.rawValue) }
        if error.isPermissionDenied { return ExitCode(ExitStatus.noPermission.rawValue) }
        if error.isNotFound { return ExitCode(ExitStatus.temporaryFailure.rawValue) }
        return ExitCode(ExitStatus.failure.rawValue)
    }

    /// A message for a failed operation, naming the kernel feature that is missing where that is the cause.
    static func message(for operation: TrafficControlOperation, error: Error) -> String {
        guard let netlink = error as? NetlinkError else { return "\(operation) failed: \(error)" }
        if netlink.isUnsupported || netlink.isNotFound {
            switch operation {
            case .addQdisc(let spec), .replaceQdisc(let spec):
                return "the kernel has no \"\(spec.configuration.kind)\" qdisc (module sch_\(spec.configuration.kind)): "
                    + "\(netlink)"
            case .addFilter:
                return "the kernel lacks the u32 classifier (cls_u32) or the mirred action (act_mirred): \(netlink)"
            case .createIFB:
                return "the kernel cannot create IFB devices (module ifb): \(netlink)"
            default:
                break
            }
        }
        return netlink.description
    }
}
