import Foundation
import Logging
import ThrottlePolicy
import TokenBucket
import TrafficControl

/// `throttlectl run`'s loop: shape every interface to the window in force, then sleep until the next
/// transition, a kernel notification, a clock step, a reload or a stop, and do it again.
///
/// It runs on a thread of its own and blocks in ``DaemonClock/wait(until:timeout:)``; everything it reacts to
/// wakes that wait, so nothing is polled. A kernel notification (our own writes cause some) leads to a
/// reconcile, which finds nothing to do after our own writes: that is what keeps it from reacting to itself.
final class DaemonEngine: @unchecked Sendable {
    struct Configuration {
        var interfaces: [String]
        var stateDir: String
        var runDir: String
        var metricsFile: String?
        var clearOnExit = false
        var force = false
        /// `--bucket-sizing` (`nil`: the policy's `bucket-sizing`).
        var sizing: BucketSizing? = nil
        /// Seconds to wait for the interface lock before trying again later.
        var lockWait = 5.0
        /// Seconds between rewrites of the metrics file while nothing else happens (counters move).
        var metricsInterval = 30.0
        /// Seconds before a failed pass is tried again.
        var retryInterval = 2.0
    }

    /// Why a pass runs.
    enum Cause: String {
        case start, transition, kernel = "kernel-change", clock = "clock-step", reload, retry, refresh
    }

    /// What one pass did, for tests (``observer``).
    struct Pass {
        var now: Date
        var cause: Cause
        var window: Window
        /// Per interface: the operations carried out (empty: nothing to change), or `nil` when it failed or is
        /// missing.
        var changes: [String: [TrafficControlOperation]?]
    }

    private struct InterfaceState {
        var present: Bool?
        var applies: UInt64 = 0
        var errors: UInt64 = 0
        var lastProblem: [String]?
        /// True while another `throttlectl run` serves the interface.
        var standingAside = false
        var statistics: [InterfaceMetrics.Direction: TrafficStatistics] = [:]
    }

    let configuration: Configuration
    private(set) var policy: DaemonPolicy
    private let reload: () -> Result<DaemonPolicy, DaemonPolicy.Problems>
    private let clock: DaemonClock
    private let control: DaemonControl
    private let logger: Logger
    private let notifier: SystemdNotifier?
    private let shaper: InterfaceShaper
    private var states: [String: InterfaceState] = [:]
    /// The interfaces this daemon serves, each with its daemon lock held until the process ends.
    private var owned: [String: InterfaceLock] = [:]
    private var retryAt: Double?
    private var metricsAt: Double?
    private var watchdogAt: Double?
    /// Called after every pass (tests step through the schedule with it).
    var observer: ((Pass) -> Void)?

    init(configuration: Configuration, policy: DaemonPolicy,
         reload: @escaping () -> Result<DaemonPolicy, DaemonPolicy.Problems>, clock: DaemonClock,
         control: DaemonControl, kernel: KernelConnection, packetClock: PacketSchedulerClock, logger: Logger,
         notifier: SystemdNotifier?)
    {
        self.configuration = configuration
        self.policy = policy
        self.reload = reload
        self.clock = clock
        self.control = control
        self.logger = logger
        self.notifier = notifier
        shaper = InterfaceShaper(stateDir: configuration.stateDir, runDir: configuration.runDir,
                                 force: configuration.force, lockWait: configuration.lockWait, kernel: kernel,
                                 packetClock: packetClock, abandonWait: { [control] in control.stopRequested },
                                 sizing: configuration.sizing)
        if let file = configuration.metricsFile {
            // Counters continue from an earlier run's file (a restart, or `apply` writing the same file).
            for (interface, counters) in MetricsFile(path: file).previousCounters()
            where configuration.interfaces.contains(interface) {
                states[interface, default: InterfaceState()].applies = counters.applies
                states[interface, default: InterfaceState()].errors = counters.errors
            }
        }
    }

    /// Runs until a stop request; returns the exit status (0).
    func run() -> Int32 {
        logger.info("started", metadata: [
            "event": "start", "interfaces": "\(configuration.interfaces.joined(separator: ","))",
            "policy": "\(policy.source)",
        ])
        pass(.start)
        notifier?.send(["READY=1", SystemdNotifier.status(statusText)])
        if let interval = notifier?.watchdogInterval { watchdogAt = clock.uptime + interval }
        while true {
            let window = policy.schedule.window(at: clock.now)
            let timeout = [retryAt, metricsAt, watchdogAt].compactMap { $0 }.min().map { max($0 - clock.uptime, 0) }
            let wake = clock.wait(until: window.end, timeout: timeout)
            switch wake {
            case .deadline:
                pass(.transition)
            case .kernel(let events):
                if !events.isEmpty { pass(.kernel) }
            case .clockChanged:
                logger.notice("the wall clock was set; schedule recomputed", metadata: [
                    "event": "clock-step", "now": "\(ISO8601.format(clock.now, in: policy.policy.timeZone))",
                ])
                pass(.clock)
            case .control:
                for request in control.take() {
                    switch request {
                    case .reload: reloadPolicy()
                    case .stop: return stop()
                    }
                }
            case .timeout:
                let now = clock.uptime
                if let due = watchdogAt, due <= now, let interval = notifier?.watchdogInterval {
                    notifier?.send(["WATCHDOG=1"])
                    watchdogAt = now + interval
                }
                if let due = retryAt, due <= now {
                    retryAt = nil
                    pass(.retry)
                } else if let due = metricsAt, due <= now {
                    metricsAt = nil
                    writeMetrics(window: policy.schedule.window(at: clock.now))
                }
            }
        }
    }

    /// Shapes every interface to the window in force now.
    private func pass(_ cause: Cause) {
        let now = clock.now
        let window = policy.schedule.window(at: now)
        var changes: [String: [TrafficControlOperation]?] = [:]
        var failed = false
        for interface in configuration.interfaces {
            var state = states[interface] ?? InterfaceState()
            let started = ContinuousClock.now
            let outcome = claim(interface) ?? shaper.shape(interface, window: window, policy: policy)
            let took = ContinuousClock.now - started
            var metadata: Logger.Metadata = [
                "interface": "\(interface)", "window": "\(window.kind.rawValue)", "cause": "\(cause.rawValue)",
                "rate": "\(window.allowance.bandwidth)", "download": "\(window.allowance.download)",
                // Real time spent reading, planning and writing this interface (whatever clock the loop runs on).
                "ms": "\(Self.milliseconds(took))",
            ]
            if let end = window.end { metadata["next"] = "\(ISO8601.format(end, in: policy.policy.timeZone))" }
            switch outcome {
            case .unchanged(let observed):
                changes[interface] = []
                if state.present == false { log(.notice, "back", "\(interface) is back and already shaped", metadata) }
                if cause == .transition || cause == .start || cause == .reload {
                    log(.info, cause == .transition ? "transition" : "in-place",
                        "\(interface): \(policy.describe(window)); already in place", metadata)
                }
                state.present = true
                state.lastProblem = nil
                state.statistics = InterfaceMetrics.statistics(of: observed)
            case .applied(let operations, let warnings):
                changes[interface] = operations
                state.applies += 1
                var details = metadata
                details["changes"] = "\(operations.map(\.description).joined(separator: "; "))"
                details["count"] = "\(operations.count)"
                let event: String
                switch cause {
                case .transition: event = "transition"
                case .start: event = "apply"
                case .reload: event = "reload-apply"
                default: event = "reapply"
                }
                let wasMissing = state.present == false
                let message = event != "reapply" ? "\(interface): \(policy.describe(window)); \(operations.count) change(s)"
                    : wasMissing ? "\(interface): the interface is there again; shaped with \(operations.count) object(s)"
                    : "\(interface): throttlectl's objects were changed or removed by someone else; restored "
                        + "\(operations.count) object(s)"
                log(event == "reapply" ? .notice : .info, event, message, details)
                for warning in warnings { log(.warning, "warning", warning, ["interface": "\(interface)"]) }
                state.present = true
                state.lastProblem = nil
            case .missing(let removed):
                changes[interface] = .some(nil)
                if state.present != false {
                    log(.warning, "interface-missing",
                        "\(interface): no such interface; waiting for it to appear", metadata)
                }
                if !removed.isEmpty {
                    var details = metadata
                    details["changes"] = "\(removed.joined(separator: "; "))"
                    log(.notice, "orphan-ifb", "\(interface) was deleted: removed the IFB made for it", details)
                }
                state.present = false
                // Its qdiscs went with it: no counters are written for it until it is back (a stale series would
                // read as traffic still flowing; the new qdiscs' counters start again from zero, a counter reset).
                state.statistics = [:]
            case .busy(let reason):
                changes[interface] = .some(nil)
                log(.warning, "lock-busy", reason, metadata)
                failed = true
            case .standingAside(let reason):
                changes[interface] = .some(nil)
                // Tried again every 2 s (one flock), logged once.
                if !state.standingAside { log(.warning, "lock-busy", reason, metadata) }
                state.standingAside = true
                failed = true
            case .failed(let lines):
                changes[interface] = .some(nil)
                state.errors += 1
                // The same problem again (every kernel notification re-checks) is logged once, not in a loop.
                if state.lastProblem != lines {
                    for line in lines { log(.error, "error", line, metadata) }
                }
                state.lastProblem = lines
                failed = true
            }
            if case .standingAside = outcome {} else { state.standingAside = false }
            states[interface] = state
        }
        retryAt = failed ? clock.uptime + configuration.retryInterval : nil
        writeMetrics(window: window)
        notifier?.send([SystemdNotifier.status(statusText)])
        observer?(Pass(now: now, cause: cause, window: window, changes: changes))
    }

    /// Takes the daemon lock of `interface` unless this daemon holds it already: `nil` when it is ours to shape,
    /// else the outcome to report instead of shaping it.
    private func claim(_ interface: String) -> InterfaceShaper.Outcome? {
        if owned[interface] != nil { return nil }
        do {
            owned[interface] = try InterfaceLock.daemon(directory: configuration.runDir, interface: interface)
            return nil
        } catch InterfaceLock.Failure.busy(let path, _) {
            return .standingAside("\(interface): another throttlectl run serves it (it holds \(path)); leaving it "
                + "alone until that one stops")
        } catch {
            return .failed(["\(error)"])
        }
    }

    private func reloadPolicy() {
        switch reload() {
        case .success(let loaded):
            policy = loaded
            log(.notice, "reload", "policy, zone data and service tags reloaded: \(loaded.source)",
                ["window": "\(loaded.schedule.window(at: clock.now).kind.rawValue)"])
            pass(.reload)
        case .failure(let problems):
            for line in problems.lines { log(.error, "reload-failed", line, [:]) }
            log(.error, "reload-failed", "the new policy is refused; the previous policy stays in force",
                ["problems": "\(problems.lines.count)"])
        }
    }

    private func stop() -> Int32 {
        if configuration.clearOnExit {
            for interface in configuration.interfaces where owned[interface] != nil {
                switch shaper.shape(interface, window: nil, policy: nil) {
                case .applied(let operations, _):
                    log(.notice, "clear", "\(interface): removed throttlectl's objects",
                        ["interface": "\(interface)",
                         "changes": "\(operations.map(\.description).joined(separator: "; "))"])
                case .failed(let lines):
                    for line in lines { log(.error, "error", line, ["interface": "\(interface)"]) }
                case .busy(let reason):
                    log(.error, "error", "\(interface): not cleared: \(reason)", ["interface": "\(interface)"])
                case .unchanged, .missing, .standingAside:
                    break
                }
            }
        }
        notifier?.send(["STOPPING=1"])
        log(.notice, "stop", configuration.clearOnExit ? "stopped; shaping cleared" : "stopped; shaping left in place",
            [:])
        return 0
    }

    private var statusText: String {
        let window = policy.schedule.window(at: clock.now)
        let missing = configuration.interfaces.filter { states[$0]?.present == false }
        let failing = configuration.interfaces.filter { states[$0]?.lastProblem != nil }
        let aside = configuration.interfaces.filter { states[$0]?.standingAside == true }
        var text = policy.describe(window)
        if !missing.isEmpty { text += "; waiting for \(missing.joined(separator: ", "))" }
        if !aside.isEmpty { text += "; another throttlectl run serves \(aside.joined(separator: ", "))" }
        if !failing.isEmpty { text += "; failing on \(failing.joined(separator: ", "))" }
        return text
    }

    private func writeMetrics(window: Window) {
        guard let path = configuration.metricsFile else { return }
        var interfaces: [InterfaceMetrics] = []
        for interface in configuration.interfaces {
            var state = states[interface] ?? InterfaceState()
            // Counters as they are now (after this pass's writes); an unlocked read, nothing is written.
            if state.present == true, let observed = try? shaper.observe(interface) {
                state.statistics = InterfaceMetrics.statistics(of: observed)
                states[interface] = state
            }
            interfaces.append(InterfaceMetrics(interface: interface, window: window, present: state.present == true,
                                               statistics: state.statistics, applies: state.applies,
                                               errors: state.errors))
        }
        do { try MetricsFile(path: path).write(PrometheusText.render(interfaces, now: clock.now)) } catch {
            log(.error, "error", "cannot write the metrics file \(path): \(error)", [:])
        }
        metricsAt = clock.uptime + configuration.metricsInterval
    }

    /// A duration as milliseconds with two decimals, for the `ms` field.
    static func milliseconds(_ duration: Swift.Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.2f", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }

    private func log(_ level: Logger.Level, _ event: String, _ message: String, _ metadata: Logger.Metadata) {
        var metadata = metadata
        metadata["event"] = "\(event)"
        logger.log(level: level, "\(message)", metadata: metadata)
    }
}
