import Foundation
internal import CNetlink

#if canImport(Glibc)
    import Glibc
#endif

/// A `timerfd` on `CLOCK_REALTIME` armed at an absolute instant with `TFD_TIMER_CANCEL_ON_SET`.
///
/// It becomes readable when the wall clock reaches the instant, and also when the wall clock is set (an NTP
/// step, `date -s`, a resume that corrects the clock): then ``consume()`` says ``Reading/clockChanged`` and
/// the caller recomputes its deadline. A monotonic sleep would miss both.
public final class WallClockTimer {
    /// The timer's descriptor, for poll(2).
    public let fileDescriptor: Int32

    /// What reading the timer said.
    public enum Reading: Equatable, Sendable {
        /// The instant was reached.
        case expired
        /// The wall clock was set while the timer was armed (`ECANCELED`).
        case clockChanged
        /// Nothing yet.
        case pending
    }

    public init() throws {
        let fd = cnl_realtime_timer_create()
        guard fd >= 0 else {
            throw NetlinkError(operation: "create a wall-clock timer (timerfd_create)", code: NLE_FAILURE,
                               libnlMessage: String(cString: strerror(errno)))
        }
        fileDescriptor = fd
    }

    deinit { close(fileDescriptor) }

    /// Arms the timer at `instant` (`timerfd_settime` with `TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET`).
    /// An instant in the past expires at once.
    public func arm(at instant: Date) throws {
        // Clamped to what time_t holds comfortably; a minimum of 1 ns, since zero would disarm the timer.
        let seconds = min(max(instant.timeIntervalSince1970, 0), 253_402_300_799)
        var whole = seconds.rounded(.down)
        var nanoseconds = Int((seconds - whole) * 1e9)
        if whole == 0 && nanoseconds == 0 { whole = 0; nanoseconds = 1 }
        guard cnl_realtime_timer_arm(fileDescriptor, Int64(whole), nanoseconds) == 0 else {
            throw NetlinkError(operation: "arm the wall-clock timer (timerfd_settime)", code: NLE_FAILURE,
                               libnlMessage: String(cString: strerror(errno)))
        }
    }

    /// Reads the timer without blocking.
    public func consume() -> Reading {
        var expirations: UInt64 = 0
        let count = read(fileDescriptor, &expirations, MemoryLayout<UInt64>.size)
        if count == MemoryLayout<UInt64>.size { return .expired }
        return errno == ECANCELED ? .clockChanged : .pending
    }
}

/// An `eventfd` that another thread writes to wake a poll(2) (a signal handler's request, a shutdown).
public final class Wakeup: @unchecked Sendable {
    /// The descriptor, for poll(2).
    public let fileDescriptor: Int32

    public init() throws {
        let fd = cnl_eventfd_create()
        guard fd >= 0 else {
            throw NetlinkError(operation: "create an eventfd", code: NLE_FAILURE,
                               libnlMessage: String(cString: strerror(errno)))
        }
        fileDescriptor = fd
    }

    deinit { close(fileDescriptor) }

    /// Makes the descriptor readable (safe from any thread).
    public func signal() {
        var one: UInt64 = 1
        _ = write(fileDescriptor, &one, MemoryLayout<UInt64>.size)
    }

    /// Clears it.
    public func reset() {
        var value: UInt64 = 0
        _ = read(fileDescriptor, &value, MemoryLayout<UInt64>.size)
    }
}
