import Foundation
import TrafficControl

#if canImport(Glibc)
    import Glibc
#endif

/// Why a daemon wait ended.
enum DaemonWake: Equatable {
    /// The wall clock reached the deadline (a schedule transition).
    case deadline
    /// The kernel announced interface or traffic-control changes.
    case kernel(KernelEvents)
    /// The wall clock was set (NTP step, `date -s`, resume): the schedule must be recomputed.
    case clockChanged
    /// A request arrived through ``DaemonControl`` (reload, stop).
    case control
    /// The monotonic timeout passed (a retry, a watchdog ping, a metrics refresh).
    case timeout
}

/// The clock and event source the daemon's wait loop runs on, injected so that tests can drive a week (or
/// ten thousand transitions) of schedule in seconds.
protocol DaemonClock: AnyObject {
    /// The wall-clock instant the schedule is evaluated at.
    var now: Date { get }
    /// Seconds on a clock that never steps, for retries and pings.
    var uptime: Double { get }
    /// Blocks until the wall clock reaches `deadline` (never, when `nil`), `timeout` monotonic seconds pass,
    /// or an event arrives, and says which.
    func wait(until deadline: Date?, timeout: Double?) -> DaemonWake
}

/// Reload and stop requests for the daemon's loop, safe to make from any thread (the signal tasks).
final class DaemonControl: @unchecked Sendable {
    enum Request: Equatable { case reload, stop }

    let wakeup: Wakeup
    private let lock = NSLock()
    private var requests: [Request] = []

    init() throws { wakeup = try Wakeup() }

    func request(_ request: Request) {
        lock.lock()
        requests.append(request)
        lock.unlock()
        wakeup.signal()
    }

    /// True when a stop request is waiting (it is not taken): a long wait (for a lock) gives up early.
    var stopRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requests.contains(.stop)
    }

    /// The requests made since the last call, coalesced: a stop alone when one was made (it ends the loop, so a
    /// reload before it would be wasted work), else one reload for any number of them (a burst of SIGHUPs, from
    /// a configuration manager touching several files, reads the policy once).
    func take() -> [Request] {
        lock.lock()
        defer { lock.unlock() }
        wakeup.reset()
        let taken = requests
        requests = []
        if taken.contains(.stop) { return [.stop] }
        return taken.isEmpty ? [] : [.reload]
    }
}

/// The real clock: poll(2) on a `CLOCK_REALTIME` timerfd (``WallClockTimer``, which also reports clock
/// steps), the netlink notification socket and the control eventfd. Nothing is polled on a period.
final class SystemDaemonClock: DaemonClock {
    private let timer: WallClockTimer
    private let events: KernelEventSubscription
    private let control: DaemonControl
    private let monotonic = ContinuousClock()
    private let started: ContinuousClock.Instant

    init(namespace: String?, control: DaemonControl) throws {
        timer = try WallClockTimer()
        events = try KernelEventSubscription(namespace: namespace)
        self.control = control
        started = monotonic.now
    }

    var now: Date { Date() }

    var uptime: Double {
        let elapsed = monotonic.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    func wait(until deadline: Date?, timeout: Double?) -> DaemonWake {
        // Armed even without a deadline: only an armed timer hears of a clock step.
        try? timer.arm(at: deadline ?? Date().addingTimeInterval(366 * 86_400))
        var descriptors = [
            pollfd(fd: control.wakeup.fileDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: timer.fileDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: events.fileDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        let milliseconds = timeout.map { Int32(min(max(($0 * 1000).rounded(.up), 0), 86_400_000)) } ?? -1
        let ready = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
        guard ready > 0 else { return .timeout }
        if descriptors[0].revents != 0 { return .control }
        if descriptors[1].revents != 0 {
            switch timer.consume() {
            case .expired: return .deadline
            case .clockChanged: return .clockChanged
            case .pending: break
            }
        }
        if descriptors[2].revents != 0 { return .kernel(events.drain()) }
        return .timeout
    }
}
