import ArgumentParser
import ThrottlePolicy

/// `--bucket-sizing`, for the commands that build plans (`apply`, `run`).
struct BucketSizingOptions: ParsableArguments {
    @Option(
        name: .customLong("bucket-sizing"),
        help: ArgumentHelp(
            "per-window (default): each window's TBF sized for its own rate (short queue when slow; a switch to a "
                + "smaller bucket grafts a new TBF and discards the old queue); fastest-window: every window of a "
                + "direction gets the fastest rate's burst and limit (every switch in place, bigger burst and "
                + "queue when slow).",
            valueName: "sizing"))
    var sizingText: String?

    /// The sizing the flag gives, if any (checked by `validate()`).
    var flag: BucketSizing? { sizingText.flatMap(BucketSizing.init(rawValue:)) }

    /// The sizing in force for `policy`: the flag, else the policy's `bucket-sizing` (default per-window).
    func sizing(for policy: Policy) -> BucketSizing { flag ?? policy.bucketSizing }

    func validate() throws {
        if let sizingText, BucketSizing(rawValue: sizingText) == nil {
            throw ValidationError("--bucket-sizing takes \(BucketSizing.choicesText), not \"\(sizingText)\"")
        }
    }
}
