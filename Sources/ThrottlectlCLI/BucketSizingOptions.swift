import ArgumentParser
import TrafficControl

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

    /// The sizing in force (checked by `validate()`).
    var sizing: BucketSizing { sizingText.flatMap(BucketSizing.init(rawValue:)) ?? .perWindow }

    func validate() throws {
        if let sizingText, BucketSizing(rawValue: sizingText) == nil {
            throw ValidationError("--bucket-sizing takes \(BucketSizing.choicesText), not \"\(sizingText)\"")
        }
    }
}
