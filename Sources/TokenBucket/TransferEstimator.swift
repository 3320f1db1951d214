import Foundation

/// A stretch of time with one bandwidth limit, as a schedule provides it.
public struct RateSegment: Hashable, Sendable {
    /// The first instant.
    public var start: Date
    /// The instant after the last (exclusive).
    public var end: Date
    /// The limit in bits per second, or `nil` when the stretch is not limited.
    public var bitsPerSecond: UInt64?
    /// What the stretch is (`work-hours`, `non-work-hours`, `unthrottled`).
    public var kind: String

    /// A segment over [`start`, `end`) at `bitsPerSecond` (`nil`: unlimited) of `kind`.
    public init(start: Date, end: Date, bitsPerSecond: UInt64?, kind: String) {
        self.start = start
        self.end = end
        self.bitsPerSecond = bitsPerSecond
        self.kind = kind
    }
}

/// The bytes one window of a transfer moved.
public struct TransferWindow: Hashable, Sendable {
    /// When the transfer entered the window.
    public var start: Date
    /// When it left it (or finished).
    public var end: Date
    /// The window's kind (`work-hours`, …).
    public var kind: String
    /// The rate the transfer ran at: the window's limit, or the link speed where that is lower or the
    /// window is unlimited.
    public var bitsPerSecond: UInt64
    /// The bytes carried in the window.
    public var bytes: UInt64
}

/// When a transfer finishes under a schedule, and what each window carried.
public struct TransferEstimate: Hashable, Sendable {
    /// When the transfer starts.
    public var start: Date
    /// When it finishes.
    public var finish: Date
    /// Its size.
    public var bytes: UInt64
    /// The windows it ran through, in order, with the bytes each carried.
    public var windows: [TransferWindow]

    /// Seconds from start to finish.
    public var seconds: Double { finish.timeIntervalSince(start) }
}

/// Answers "when will this transfer finish?" for a schedule of rate limits.
public enum TransferEstimator {
    /// Estimates a transfer of `bytes` starting at `start`.
    /// - Parameters:
    ///   - linkBitsPerSecond: the link's own speed: it caps every window and is the rate of unlimited ones.
    ///   - horizon: give up when the transfer has not finished this long after the start.
    ///   - segments: the schedule's segments covering [from, to), in order and contiguous.
    /// - Throws: ``TokenBucketError`` when an unlimited window has no link speed, or past the horizon.
    public static func estimate(
        bytes: UInt64, start: Date, linkBitsPerSecond: UInt64?, horizon: TimeInterval = 100 * 366 * 86_400,
        segments: (Date, Date) -> [RateSegment]
    ) throws(TokenBucketError) -> TransferEstimate {
        guard bytes > 0 else { return TransferEstimate(start: start, finish: start, bytes: 0, windows: []) }
        let chunk: TimeInterval = 32 * 86_400
        var windows: [TransferWindow] = []
        var cursor = start
        var moved = 0.0
        let total = Double(bytes)
        while cursor < start.addingTimeInterval(horizon) {
            let chunkEnd = cursor.addingTimeInterval(chunk)
            for segment in segments(cursor, chunkEnd) where segment.end > cursor {
                let from = max(segment.start, cursor)
                let bits = try effectiveRate(segment, link: linkBitsPerSecond)
                let bytesPerSecond = Double(bits) / 8
                let capacity = bytesPerSecond * segment.end.timeIntervalSince(from)
                let movedBefore = moved
                let finishing = total - moved <= capacity
                let end = finishing ? from.addingTimeInterval((total - moved) / bytesPerSecond) : segment.end
                moved = finishing ? total : moved + capacity
                let carried = wholeBytes(moved) - wholeBytes(movedBefore)
                append(TransferWindow(start: from, end: end, kind: segment.kind, bitsPerSecond: bits, bytes: carried),
                       to: &windows)
                if finishing { return TransferEstimate(start: start, finish: end, bytes: bytes, windows: windows) }
                cursor = segment.end
            }
            cursor = max(cursor, chunkEnd)
        }
        throw TokenBucketError("the transfer does not finish within \(Int(horizon / 86_400 / 365)) years")
    }

    /// `bytes` rounded to whole bytes; 2⁶⁴ (where `Double` rounds `UInt64.max`) saturates instead of trapping.
    private static func wholeBytes(_ bytes: Double) -> UInt64 {
        bytes >= 0x1p64 ? .max : UInt64(bytes.rounded())
    }

    private static func effectiveRate(_ segment: RateSegment, link: UInt64?) throws(TokenBucketError) -> UInt64 {
        switch (segment.bitsPerSecond, link) {
        case (.some(let limit), .some(let link)): return min(limit, link)
        case (.some(let limit), .none): return limit
        case (.none, .some(let link)): return link
        case (.none, .none):
            throw TokenBucketError(
                "the transfer reaches a window without a limit (\(segment.kind)): give the link's speed "
                    + "(--link-speed) to estimate it")
        }
    }

    /// Appends `window`, joining it to the last one when they touch and run at the same rate and kind.
    private static func append(_ window: TransferWindow, to windows: inout [TransferWindow]) {
        if let last = windows.last, last.end == window.start, last.kind == window.kind,
            last.bitsPerSecond == window.bitsPerSecond
        {
            windows[windows.count - 1].end = window.end
            windows[windows.count - 1].bytes += window.bytes
        } else {
            windows.append(window)
        }
    }
}
