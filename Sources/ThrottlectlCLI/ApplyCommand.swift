import ArgumentParser
import Foundation
import ThrottlePolicy
import TokenBucket
import TrafficControl
import TrafficSelection

/// `throttlectl apply`: shapes an interface to the window in force.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Shape an interface (upload, and download through an IFB) to the window in force.",
        discussion: """
            Idempotent, for cron and systemd timers: reads the kernel's state, compares it with the plan for \
            the window in force, and makes the fewest changes (none when all is in place). A rate change is \
            an in-place class change. Only throttlectl's own objects are touched; a foreign root qdisc is \
            refused (exit 73) unless --force, which records it so that `clear` puts it back. If a write fails, \
            what was done is undone. Every change is appended to STATE-DIR/journal.jsonl.

            Exit codes: 0 applied or already in place · 64 usage · 65 invalid policy · 66 policy file \
            missing · 69 profile cannot be throttled · 73 foreign root qdisc (use --force) · 75 lock busy or \
            interface missing · 77 no CAP_NET_ADMIN, or (as root) a policy file others can write \
            (--insecure-policy) · 1 a kernel write failed (rolled back).

            With a traffic selection (a traffic section, or --service-tags/--tag/--prefix/--exclude-prefix/--port/\
            --preset), only traffic to those remote addresses and ports is shaped. The service-tags file is read \
            and every tag and prefix checked before anything is changed (66: the tag file cannot be read; 65: a \
            problem in it or in the selection). --dry-run shows the selection and its u32 hash layout.

            Examples:
              throttlectl apply --policy /etc/throttlectl/policy.yaml --interface eth0
              throttlectl apply --policy examples/mars-documented.yaml -i eth0 --dry-run
              throttlectl apply --policy examples/office-hours.yaml -i eth0 --at 2026-11-24T10:00:00-05:00 --json
              throttlectl apply --policy examples/backup-only.yaml -i eth0 --dry-run
            """
    )

    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var interfaceOptions: InterfaceOptions
    @OptionGroup var bucketSizing: BucketSizingOptions

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Apply the window in force at this ISO-8601 instant (default: now).",
                               valueName: "instant"), transform: parseInstant)
    var at: Date?

    @Flag(help: "Print the plan and the equivalent tc commands; change nothing.")
    var dryRun = false

    @OptionGroup var safety: ApplySafetyOptions

    @Flag(help: "Print JSON: changed, operations, window.")
    var json = false

    @Flag(help: "With --dry-run: print the equivalent tc -batch file (the IFB devices to create first in its header).")
    var tcBatch = false

    @Option(help: ArgumentHelp(
        "Write Prometheus metrics for this interface here (node_exporter textfile collector), atomically.",
        valueName: "path"))
    var metricsFile: String?

    func validate() throws {
        if let metricsFile, let problem = MetricsFile.problem(with: metricsFile) { throw ValidationError(problem) }
        if tcBatch && !dryRun { throw ValidationError("--tc-batch goes with --dry-run") }
        if tcBatch && json { throw ValidationError("--tc-batch and --json cannot be combined") }
    }

    func run() throws {
        // Everything that can be checked without the kernel is checked first.
        if !dryRun { try PolicyTrust.require(policyOptions.policyFile, insecure: safety.insecurePolicy) }
        let policy = try policyOptions.policyOrExit()
        let cache = SelectionCache(store: StateStore(directory: interfaceOptions.stateDir),
                                   interface: interfaceOptions.interface)
        let traffic = try TrafficSelectionResolver.selectionOrExit(for: policy, cache: cache)
        // Whoever can write the tag file decides what root shapes, as with the policy itself.
        if !dryRun {
            try PolicyTrust.require(traffic?.tagFile?.path, insecure: safety.insecurePolicy, subject: "service-tags file")
        }
        let window = Schedule(policy: policy).window(at: at ?? Date())
        if !dryRun && !NetworkAdminCapability.isEffective {
            printError(NetworkAdminCapability.advice)
            throw ExitCode(ExitStatus.noPermission.rawValue)
        }
        let session = try ShapingSession(options: interfaceOptions, lock: !dryRun)
        let clock = try SystemClock.current()
        let builder = PlanBuilder(policy: policy, clock: clock, selection: traffic?.selection,
                                  sizing: bucketSizing.sizing(for: policy))
        try planOrExit { () throws(TokenBucketError) in try builder.checkEveryWindow(interface: session.observed.interface) }
        let converged = ConvergenceRecord(store: session.store, interface: interfaceOptions.interface)
        let planKey = ConvergenceRecord.key(
            window: window, interface: session.observed.interface, clock: clock,
            selection: traffic.map { $0.cacheKey ?? SelectionCache.requestText(
                TrafficSelectionResolver.selectionRequest(for: $0.request)) } ?? "whole interface",
            force: safety.force, recordedRoot: session.recordedRoot, sizedFor: builder.sizedFor)
        if !dryRun && converged.holds(key: planKey, observed: session.observed) {
            // The kernel is exactly as it was when a full run last found nothing to change for this plan.
            var report = ApplyReport(interface: interfaceOptions.interface, window: window, timeZone: policy.timeZone,
                                     plan: nil, operations: [], dryRun: false)
            report.selection = traffic.map(SelectionReport.init)
        report.sizing = builder.sizing
            print(json ? report.json : report.unchangedText)
            writeMetrics(window: window, kernel: session.kernel, changed: false, failed: false)
            return
        }
        let plan = try planOrExit { () throws(TokenBucketError) in
            // Every window was checked above, before the no-change shortcut.
            try builder.planWithoutCheck(window: window, interface: session.observed.interface)
        }
        let reconciliation = try session.reconcile(plan: plan, force: safety.force)
        var report = ApplyReport(interface: interfaceOptions.interface, window: window, timeZone: policy.timeZone,
                                 plan: plan, operations: reconciliation.operations.map(\.operation), dryRun: dryRun)
        report.selection = traffic.map(SelectionReport.init)
        report.sizing = builder.sizing
        if dryRun {
            if tcBatch {
                print(TcBatch.render(reconciliation.operations), terminator: "")
                return
            }
            print(json ? report.json : report.dryRunText)
            return
        }
        do { try session.carryOut(reconciliation, report: report, json: json) } catch {
            writeMetrics(window: window, kernel: session.kernel, changed: false, failed: true)
            throw error
        }
        if reconciliation.operations.isEmpty && reconciliation.record == .keep {
            converged.record(key: planKey, observed: session.observed)
        }
        // What is in the kernel now came from this resolution: kept for the next run and for `status`.
        if let traffic {
            if !traffic.fromCache, let record = traffic.record { cache.save(record) }
        } else {
            cache.remove()
        }
        writeMetrics(window: window, kernel: session.kernel, changed: !reconciliation.operations.isEmpty, failed: false)
    }

    /// `--metrics-file`: the counters continue from the file's previous values (each `apply` is a new process).
    private func writeMetrics(window: Window, kernel: KernelConnection, changed: Bool, failed: Bool) {
        guard let metricsFile else { return }
        let file = MetricsFile(path: metricsFile)
        let interface = interfaceOptions.interface
        let previous = file.previousCounters()[interface] ?? (0, 0)
        let observed = try? ObservedState.read(interfaceName: interface, from: kernel)
        let metrics = InterfaceMetrics(
            interface: interface, window: window, present: observed != nil,
            statistics: observed.map(InterfaceMetrics.statistics) ?? [:],
            applies: previous.applies + (changed ? 1 : 0), errors: previous.errors + (failed ? 1 : 0))
        do { try file.write(PrometheusText.render([metrics], now: Date())) } catch {
            printError("warning: cannot write the metrics file \(metricsFile): \(error)")
        }
    }

    /// The result of `body`, or its token-bucket problem printed with the interface's name (exit 65).
    private func planOrExit<T>(_ body: () throws(TokenBucketError) -> T) throws -> T {
        do throws(TokenBucketError) {
            return try body()
        } catch {
            printError("\(interfaceOptions.interface): \(error.message)")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
    }
}
