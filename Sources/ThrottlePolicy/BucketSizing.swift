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

    /// A sizing by name (`bucket-sizing:` in a policy file).
    public init(parsing text: String) throws(ValueError) {
        guard let sizing = BucketSizing(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw ValueError("unknown bucket sizing \"\(text)\": give \(Self.choicesText)")
        }
        self = sizing
    }
}
