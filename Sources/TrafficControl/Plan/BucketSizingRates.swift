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
