import Foundation
import TokenBucket

extension RateSegment {
    /// A schedule window as the transfer estimator sees it: its limit (upload), or none when unlimited or
    /// unthrottled. The window must have a start and an end (``Schedule/timeline(from:to:)`` clips them).
    public init(window: Window) {
        precondition(window.start != nil && window.end != nil, "a rate segment needs a bounded window")
        self.init(
            start: window.start!, end: window.end!,
            bitsPerSecond: window.isThrottled ? window.bandwidth.bitsPerSecond : nil, kind: window.kind.rawValue)
    }
}

extension Schedule {
    /// When a transfer of `bytes` started at `start` finishes under this schedule's upload limits.
    ///
    /// "When will 40 GiB finish if I start Friday 17:00?": each window carries what its limit allows for
    /// as long as it lasts (the rate is a limit, so this is the earliest finish).
    /// - Parameters:
    ///   - bytes: the size of the transfer (see ``ByteSize/parse(_:)`` for `40GiB`-style text).
    ///   - start: when it starts.
    ///   - linkBitsPerSecond: the link's own speed: it caps every window and is the rate of unlimited ones;
    ///     required when the transfer reaches an unlimited or unthrottled window.
    /// - Throws: ``TokenBucketError`` when an unlimited window is reached without a link speed, or when the
    ///   transfer does not finish within 100 years.
    public func estimateTransfer(bytes: UInt64, startingAt start: Date, linkBitsPerSecond: UInt64? = nil)
        throws(TokenBucketError) -> TransferEstimate
    {
        try TransferEstimator.estimate(bytes: bytes, start: start, linkBitsPerSecond: linkBitsPerSecond) { from, to in
            timeline(from: from, to: to).map(RateSegment.init(window:))
        }
    }
}
