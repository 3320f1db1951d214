import Foundation
import ThrottlePolicy
import TrafficControl

/// What the metrics file says about one interface: the window in force, the configured rates, the counters of
/// throttlectl's TBF qdiscs, and how many applies and errors there have been.
struct InterfaceMetrics {
    enum Direction: String, CaseIterable {
        case upload, download
    }

    var interface: String
    /// The window in force; `nil` when no policy could be evaluated.
    var window: Window?
    /// False while the interface does not exist (the daemon waits for it).
    var present: Bool
    /// The counters of our TBF per direction (absent: no TBF of ours, an unlimited direction).
    var statistics: [Direction: TrafficStatistics] = [:]
    var applies: UInt64 = 0
    var errors: UInt64 = 0

    /// The configured rate in bits per second, `nil` for a direction that is not limited.
    func rate(_ direction: Direction) -> UInt64? {
        guard let window, window.isThrottled else { return nil }
        return direction == .upload ? window.allowance.bandwidth.bitsPerSecond : window.allowance.download.bitsPerSecond
    }

    /// The counters of our TBFs in `observed`: upload on the interface (or on the upload IFB of a traffic
    /// selection), download on the IFB.
    static func statistics(of observed: ObservedState) -> [Direction: TrafficStatistics] {
        func ours(_ qdiscs: [KernelQdisc]) -> TrafficStatistics? {
            qdiscs.first { $0.parent == .root && $0.kind == "tbf" && Ownership.owns($0.handle) }?.statistics
        }
        var result: [Direction: TrafficStatistics] = [:]
        result[.upload] = ours(observed.qdiscs) ?? ours(observed.uploadIFBQdiscs)
        result[.download] = ours(observed.ifbQdiscs)
        return result
    }
}
