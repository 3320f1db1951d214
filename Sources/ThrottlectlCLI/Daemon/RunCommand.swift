import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import ThrottlePolicy
import TokenBucket
import TrafficControl

/// `throttlectl run`: the daemon that applies every transition on time and keeps the shaping in place.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Stay running: apply the window in force, then every transition on time, and repair the shaping.",
        discussion: """
            Applies the window in force (as `apply` does) to every --interface, then sleeps until the schedule's \
            next transition and applies it on the second. Reacts without polling: netlink notifications bring \
            back an interface that returns (or is recreated, or renamed back) and restore throttlectl's \
            qdiscs, IFB and filters when someone else removes or alters them; a step of the wall clock (NTP, \
            resume) recomputes the schedule at once. SIGHUP reloads the policy, the zone data and the \
            service-tags file (a new policy with problems is logged and refused; the previous one stays in \
            force). SIGTERM and SIGINT stop it with exit 0, leaving the shaping in place unless \
            --clear-on-exit. One line per event on standard error (key=value, for journald). Under systemd \
            (Type=notify) it reports READY=1, a STATUS= line with the window and the next transition, and \
            pings the watchdog when WatchdogSec= is set. Every write takes the same per-interface lock as \
            `apply`, so a cron `apply` and the daemon never write at once.

            An interface that is missing at start (or later) is waited for, not an error; a lock held by \
            another throttlectl, a foreign root qdisc (without --force) or a failed write is logged and tried \
            again on the next notification or after 2 s.

            Exit codes: 0 stopped by SIGTERM/SIGINT · 64 usage · 65 invalid policy or selection (FILE:LINE:COLUMN; \
            nothing applied) · 66 policy or tag file missing · 69 profile cannot be throttled · 73 an unsafe \
            --state-dir · 77 no CAP_NET_ADMIN, or (as root) a policy file others can write · 1 an unsafe --run-dir, \
            or other.

            Examples:
              throttlectl run --policy /etc/throttlectl/policy.yaml --interface eth0
              throttlectl run --policy policy.yaml -i eth0 -i eth1 --metrics-file /var/lib/node/throttlectl.prom
            """
    )

    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var bucketSizing: BucketSizingOptions

    @Option(name: .shortAndLong, parsing: .singleValue,
            help: ArgumentHelp("An interface to shape; repeat for several (one policy for all).", valueName: "name"))
    var interface: [String] = []

    @Option(help: ArgumentHelp("Where the journal and recorded roots live.", valueName: "dir"))
    var stateDir: String = "/var/lib/throttlectl"

    @Option(help: ArgumentHelp("Where the per-interface locks live.", valueName: "dir"))
    var runDir: String = "/run/throttlectl"

    @Option(help: ArgumentHelp(
        "Write Prometheus metrics here (node_exporter textfile collector), atomically, after every change and "
            + "every 30 s.", valueName: "path"))
    var metricsFile: String?

    @Flag(help: "On SIGTERM/SIGINT, remove throttlectl's objects from every interface before exiting.")
    var clearOnExit = false

    @OptionGroup var safety: ApplySafetyOptions

    func validate() throws {
        guard !interface.isEmpty else { throw ValidationError("give at least one --interface") }
        var seen: Set<String> = []
        for name in interface {
            if let problem = InterfaceName.problem(with: name) { throw ValidationError(problem) }
            guard seen.insert(name).inserted else { throw ValidationError("--interface \(name) is given twice") }
        }
        for (flag, directory) in [("--state-dir", stateDir), ("--run-dir", runDir)] where directory.isEmpty {
            throw ValidationError("\(flag) cannot be empty")
        }
        if let metricsFile, let problem = MetricsFile.problem(with: metricsFile) { throw ValidationError(problem) }
    }

    func run() throws {
        // Everything that can be checked without the kernel is checked before anything is applied.
        let policy: DaemonPolicy
        switch DaemonPolicy.load(policyOptions, insecure: safety.insecurePolicy) {
        case .success(let loaded): policy = loaded
        case .failure(let problems):
            for line in problems.lines { printError(line) }
            throw ExitCode(problems.exitCode)
        }
        guard NetworkAdminCapability.isEffective else {
            printError(NetworkAdminCapability.advice)
            throw ExitCode(ExitStatus.noPermission.rawValue)
        }
        try checkDirectories()
        let packetClock = try SystemClock.current()
        let kernel: KernelConnection
        let control: DaemonControl
        var clock: DaemonClock
        do {
            kernel = try KernelConnection()
            control = try DaemonControl()
            clock = try SystemDaemonClock(namespace: nil, control: control)
        } catch {
            printError("cannot open the kernel's notifications: \(error)")
            throw KernelFailure.exitCode(for: error)
        }
        try checkPlans(policy, kernel: kernel, packetClock: packetClock)
        let logger = Logger(label: "throttlectl") { _ in LogfmtHandler() }
        #if DEBUG
            if let text = ProcessInfo.processInfo.environment["THROTTLECTL_TEST_ACCELERATED_CLOCK"],
                let (start, transitions) = AcceleratedClock.parse(text)
            {
                let virtual = AcceleratedClock(start: start, transitions: transitions, control: control)
                // Sampled inside the loop (before the pass), so that every figure is taken in the same state.
                virtual.onTransition = { number in
                    if number == 1 || number == 100 || number == transitions {
                        Self.logResources(logger, transition: number)
                    }
                }
                clock = virtual
            }
        #endif
        let configuration = DaemonEngine.Configuration(
            interfaces: interface, stateDir: stateDir, runDir: runDir, metricsFile: metricsFile,
            clearOnExit: clearOnExit, force: safety.force, sizing: bucketSizing.flag)
        let options = policyOptions
        let insecure = safety.insecurePolicy
        let engine = DaemonEngine(
            configuration: configuration, policy: policy, reload: { DaemonPolicy.load(options, insecure: insecure) },
            clock: clock, control: control, kernel: kernel, packetClock: packetClock, logger: logger,
            notifier: SystemdNotifier())
        let status = DaemonService.StatusBox()
        let service = DaemonService(engine: engine, control: control, status: status)
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        let done = DispatchSemaphore(value: 0)
        let failure = DaemonService.StatusBox()
        Task.detached {
            do { try await group.run() } catch {
                logger.error("\(error)", metadata: ["event": "error"])
                failure.set(ExitStatus.failure.rawValue)
            }
            done.signal()
        }
        done.wait()
        let code = status.code ?? failure.code ?? ExitStatus.failure.rawValue
        if code != 0 { throw ExitCode(code) }
    }

    #if DEBUG
        /// The soak test's figures: `event=resources transition=N rss_kib=… fds=…`.
        static func logResources(_ logger: Logger, transition: Int) {
            logger.info("resources", metadata: [
                "event": "resources", "transition": "\(transition)", "rss_kib": "\(ProcessResources.residentKiB())",
                "fds": "\(ProcessResources.openDescriptors())",
            ])
        }
    #endif

    /// Refuses, as `apply` would, a `--state-dir` (73) or `--run-dir` (1) that is unsafe or cannot be used: only
    /// the operator can fix that, so the daemon ends before applying anything instead of retrying for ever.
    private func checkDirectories() throws {
        for (directory, code) in [(stateDir, ExitStatus.foreignRoot), (runDir, ExitStatus.failure)] {
            do { _ = try SecureDirectory(path: directory) } catch {
                printError(error.description)
                throw ExitCode(code.rawValue)
            }
        }
    }

    /// Refuses (65) a policy whose windows cannot be shaped on an interface that exists now (its MTU decides);
    /// an interface that is missing is checked when it appears.
    private func checkPlans(_ policy: DaemonPolicy, kernel: KernelConnection, packetClock: PacketSchedulerClock)
        throws
    {
        let builder = PlanBuilder(policy: policy.policy, clock: packetClock, selection: policy.traffic?.selection,
                                  sizing: bucketSizing.sizing(for: policy.policy))
        let window = policy.schedule.window(at: Date())
        for name in interface {
            guard let present = try? kernel.interfaceIfPresent(named: name) else { continue }
            do throws(TokenBucketError) {
                _ = try builder.plan(window: window, interface: present)
            } catch {
                printError("\(name): \(error.message)")
                throw ExitCode(ExitStatus.invalidInput.rawValue)
            }
        }
    }
}
