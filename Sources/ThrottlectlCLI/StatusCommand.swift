import ArgumentParser
import Foundation
import ThrottlePolicy
import TokenBucket
import TrafficControl
import TrafficSelection

/// `throttlectl status`: what throttlectl has installed, its counters, and whether it matches the policy.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show throttlectl's objects on an interface, their counters, and whether they match the policy.",
        discussion: """
            Lists the TBF qdiscs for upload (on the interface, or on its upload IFB when a traffic selection \
            is installed) and download (on its IFB) with their rates and counters (bytes, packets, drops, \
            overlimits). With a selection, also what is installed on each clsact hook (hash tables, leaves, \
            prefixes, ports) and the tags and tag file it was applied from. With --policy, also the window the \
            policy expects now and whether the kernel matches it (exit 0 either way; `matches` tells).

            Examples:
              throttlectl status --interface eth0
              throttlectl status -i eth0 --policy /etc/throttlectl/policy.yaml --json
            """
    )

    @OptionGroup var interfaceOptions: InterfaceOptions

    private var interface: String { interfaceOptions.interface }
    private var stateDir: String { interfaceOptions.stateDir }

    // A list, so that a second --policy is refused (as for show, simulate and apply) rather than replacing the first.
    @Option(name: .customLong("policy"), parsing: .singleValue,
            help: ArgumentHelp("A policy file to compare the kernel with.", valueName: "file"))
    var policies: [String] = []

    private var policy: String? { policies.first }

    func validate() throws {
        if policies.count > 1 {
            throw ValidationError(
                "--policy is given \(policies.count) times (\(policies.joined(separator: ", "))): give one policy file")
        }
    }

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Compare with the window at this instant (default: now).", valueName: "instant"),
            transform: parseInstant)
    var at: Date?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        var loaded: Policy?
        if let policy {
            do { loaded = try PolicyLoader.load(path: policy) } catch { throw reportFailure(error) }
        }
        let cache = SelectionCache(store: StateStore(directory: stateDir), interface: interface)
        let traffic = try loaded.flatMap { try TrafficSelectionResolver.selectionOrExit(for: $0, cache: cache) }
        let observed = try KernelSnapshot.require(interface: interface).observed
        var expectation: (Window, Bool)?
        var sizings: [BucketSizing] = []
        var pending: [TrafficControlOperation] = []
        if let loaded {
            let window = Schedule(policy: loaded).window(at: at ?? Date())
            let clock = try SystemClock.current()
            let recorded = try ShapingSession.recordedRoot(StateStore(directory: stateDir), interface)
            // Which sizing the kernel holds is read from it: the policy's plan under each, compared.
            for sizing in BucketSizing.allCases {
                let builder = PlanBuilder(policy: loaded, clock: clock, selection: traffic?.selection, sizing: sizing)
                guard let plan = plan(builder, for: window, interface: observed.interface) else { break }
                let reconciliation = try? Reconciler().reconcile(plan: plan, observed: observed, recordedRoot: recorded,
                                                                 force: true)
                if reconciliation?.operations.isEmpty ?? false { sizings.append(sizing) }
                if sizing == loaded.bucketSizing { pending = reconciliation?.operations.map(\.operation) ?? [] }
            }
            expectation = (window, !sizings.isEmpty)
        }
        var report = StatusReport(observed: observed, expectation: expectation, timeZone: loaded?.timeZone ?? .current)
        report.sizings = sizings
        report.pending = sizings.isEmpty ? pending : []
        report.policySelectsTraffic = traffic != nil
        report.recorded = cache.load()
        print(json ? report.json : report.text)
    }

    private func plan(_ builder: PlanBuilder, for window: Window, interface: NetworkInterface) -> ShapingPlan? {
        do throws(TokenBucketError) {
            return try ShapingPlanner(clock: builder.clock).plan(window: window, interface: interface,
                                                                 selection: builder.selection,
                                                                 sizedFor: builder.sizedFor)
        } catch {
            printError("\(self.interface): \(error.message)")
            return nil
        }
    }
}
