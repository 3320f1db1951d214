import Foundation

/// Where code that follows a schedule reads the current instant, so that tests can set it.
///
/// Production code uses ``SystemScheduleClock``; tests use a ``VirtualClock`` and advance it. Nothing here
/// sleeps: a caller that waits computes the wait from ``Schedule/nextTransition(after:)`` and its own clock.
public protocol ScheduleClock: Sendable {
    /// The current instant.
    var now: Date { get }
}

/// The system's wall clock (`Date()`).
public struct SystemScheduleClock: ScheduleClock {
    /// The system clock.
    public init() {}

    /// `Date()`: the wall clock now.
    public var now: Date { Date() }
}

/// A clock that stands still until it is told to move: for tests of code that follows a schedule.
///
/// A reference type so that the code under test and the test share one clock; safe to use from several
/// tasks (its instant is behind a lock).
///
/// ```swift
/// let clock = VirtualClock(now: try ISO8601.parse("2026-03-27T17:00:00+01:00"))
/// clock.advance(by: 3600)
/// ```
public final class VirtualClock: ScheduleClock, @unchecked Sendable {
    private let lock = NSLock()
    private var instant: Date

    /// A clock that reads `now` until advanced.
    public init(now: Date) { instant = now }

    /// The clock's current instant.
    public var now: Date { lock.withLock { instant } }

    /// Moves the clock `seconds` forward (a negative value moves it back, as a wall-clock step would).
    public func advance(by seconds: TimeInterval) {
        lock.withLock { instant = instant.addingTimeInterval(seconds) }
    }

    /// Sets the clock to `date`, earlier or later.
    public func set(to date: Date) {
        lock.withLock { instant = date }
    }
}
