import Foundation

/// An instant at which the bandwidth a policy allows changes, and the window that starts there.
///
/// Get them from ``Schedule/transitions(after:limit:)``, or step through them with a ``ScheduleWalker``.
public struct Transition: Hashable, Sendable, CustomStringConvertible {
    /// The instant the new window starts (inclusive).
    public let instant: Date
    /// What was allowed just before ``instant``.
    public let previous: Allowance
    /// The window that starts at ``instant``; its `end` is the next transition, `nil` when none follows.
    public let window: Window

    /// A transition at `instant` from `previous` into `window`.
    public init(instant: Date, previous: Allowance, window: Window) {
        self.instant = instant
        self.previous = previous
        self.window = window
    }

    /// What is allowed from ``instant`` on (the kind and the bandwidth of each direction).
    public var allowance: Allowance { window.allowance }

    /// `2026-11-24 08:00:00 +0000: non-work-hours 2 Mibit/s → work-hours 512 Kibit/s`.
    public var description: String { "\(instant): \(previous) → \(allowance)" }
}

extension Schedule {
    /// The largest number of transitions ``transitions(after:limit:)`` returns at once.
    public static let maximumTransitions = 10_000

    /// The next `limit` transitions after `instant` (strictly after it), in order.
    ///
    /// Fewer come back when the schedule stops changing: none for a policy without throttling, or one whose
    /// work and non-work windows never alternate (work every hour of every day).
    /// - Parameters:
    ///   - instant: where to start looking; a transition exactly at `instant` is not included.
    ///   - limit: at most this many, clamped to 0…``maximumTransitions``.
    public func transitions(after instant: Date, limit: Int) -> [Transition] {
        var found: [Transition] = []
        let wanted = min(max(limit, 0), Self.maximumTransitions)
        found.reserveCapacity(wanted)
        var current = window(at: instant)
        while found.count < wanted, let next = current.end {
            let following = window(at: next)
            found.append(Transition(instant: next, previous: current.allowance, window: following))
            current = following
        }
        return found
    }
}
