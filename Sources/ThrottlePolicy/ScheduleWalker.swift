import Foundation

/// Steps through a schedule's transitions on a clock: what a daemon does, without the waiting.
///
/// The walker reads the instant from its ``ScheduleClock``. With a ``VirtualClock``,
/// ``advanceToNextTransition()`` moves the clock to the next transition, so a test can walk a week in
/// microseconds and check the window in force at every step.
///
/// ```swift
/// let clock = VirtualClock(now: start)
/// let walker = ScheduleWalker(schedule: Schedule(policy: policy), clock: clock)
/// while let transition = walker.advanceToNextTransition(), transition.instant < end { … }
/// ```
public struct ScheduleWalker<Clock: ScheduleClock>: Sendable {
    /// The schedule walked.
    public let schedule: Schedule
    /// Where the current instant is read.
    public let clock: Clock

    /// A walker over `schedule`, reading the current instant from `clock`.
    public init(schedule: Schedule, clock: Clock) {
        self.schedule = schedule
        self.clock = clock
    }

    /// The window in force at the clock's current instant.
    public var currentWindow: Window { schedule.window(at: clock.now) }

    /// The next transition after the clock's current instant, or `nil` when the schedule never changes again.
    public var nextTransition: Transition? { schedule.transitions(after: clock.now, limit: 1).first }

    /// Seconds from the clock's current instant to the next transition, or `nil` when none follows.
    public var secondsToNextTransition: TimeInterval? {
        let now = clock.now
        return schedule.nextTransition(after: now).map { $0.timeIntervalSince(now) }
    }
}

extension ScheduleWalker where Clock == VirtualClock {
    /// Moves the virtual clock to the next transition and returns it; `nil` (clock unchanged) when none follows.
    @discardableResult
    public func advanceToNextTransition() -> Transition? {
        guard let transition = nextTransition else { return nil }
        clock.set(to: transition.instant)
        return transition
    }
}
