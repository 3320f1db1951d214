import Foundation
import ThrottlePolicy
import TokenBucket

/// What a backup tool asks of a bandwidth schedule: when a transfer would finish, and whether to wait for
/// the next window to start it.
public struct BackupPlanner: Sendable {
    /// The schedule the uploads run under.
    public let schedule: Schedule
    /// The link's own speed, which caps every window (and is the rate of unlimited ones).
    public let linkBitsPerSecond: UInt64?

    /// A planner for `policy` on a link of `linkBitsPerSecond`.
    public init(policy: Policy, linkBitsPerSecond: UInt64? = nil) {
        schedule = Schedule(policy: policy)
        self.linkBitsPerSecond = linkBitsPerSecond
    }

    /// When `bytes` started at `start` finish.
    public func finish(ofBytes bytes: UInt64, startingAt start: Date) throws -> Date {
        try schedule.estimateTransfer(bytes: bytes, startingAt: start, linkBitsPerSecond: linkBitsPerSecond).finish
    }

    /// The next instant work hours start after `instant`, or `nil` when they never do.
    public func nextWorkHoursStart(after instant: Date) -> Date? {
        schedule.transitions(after: instant, limit: 3).first { $0.allowance.kind == .workHours }?.instant
    }

    /// Whether `bytes` started now (the clock's instant) finish before work hours next start.
    public func fitsBeforeWorkHours(bytes: UInt64, clock: some ScheduleClock) throws -> Bool {
        let now = clock.now
        guard schedule.window(at: now).kind != .workHours else { return false }
        guard let deadline = nextWorkHoursStart(after: now) else { return true }
        return try finish(ofBytes: bytes, startingAt: now) <= deadline
    }
}
