/// How each window's TBF bucket and queue limit are sized (`--bucket-sizing`).
public enum BucketSizing: String, CaseIterable, Hashable, Sendable {
    /// Each window for its own rate (the default): a short queue in a slow window; a switch to a smaller
    /// bucket grafts a new TBF, which discards the old one's queue.
    case perWindow = "per-window"
    /// Every window of a direction gets the burst and limit of the schedule's fastest rate of that direction
    /// (at its own rate): every switch is an in-place change, at the price of a bigger burst and a longer queue
    /// in the slow window.
    case fastestWindow = "fastest-window"

    /// The values, for messages: `per-window or fastest-window`.
    public static var choicesText: String { allCases.map(\.rawValue).joined(separator: " or ") }
}

/// The rates every window's bucket is sized for under ``BucketSizing/fastestWindow``: the fastest limited rate
/// of each direction (`nil`: the direction is never limited, or each window is sized for its own rate).
public struct BucketSizingRates: Hashable, Sendable {
    public var upload: UInt64?
    public var download: UInt64?

    public init(upload: UInt64?, download: UInt64?) {
        self.upload = upload
        self.download = download
    }

    /// Each window for its own rate.
    public static let own = BucketSizingRates(upload: nil, download: nil)
}
