import ArgumentParser
import Foundation
import ThrottlePolicy

/// `throttlectl next`: the schedule's next transitions, for people and for timers.
struct NextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "List the next transitions: when the bandwidth changes, and to what.",
        discussion: """
            Each transition: the instant in the policy's zone and in UTC, the kind of window that starts \
            (work-hours, non-work-hours) and its bandwidth per direction. A policy that never changes (throttling \
            off, or work hours round the clock) has no transitions: that is said, and the exit status is 0.

            JSON: an object with the keys timeZone, from, policy and transitions (an array, empty when none), \
            each transition with at, utc, epochSeconds, kind, throttled, bitsPerSecond, downloadBitsPerSecond \
            (null when unlimited) and previousKind. epochSeconds suits timers (systemd-run --on-calendar=@N).

            Examples:
              throttlectl next --policy examples/mars-documented.yaml
              throttlectl next --policy examples/overnight.yaml --count 4 --from 2026-03-27T00:00:00Z --json
            """
    )

    @OptionGroup var policyOptions: PolicyOptions

    // A string, unconditional, so that `--count -1` and `--count x` reach our own message.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("How many transitions (1…\(Schedule.maximumTransitions); default 10).", valueName: "n"))
    var count: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Look after this instant, ISO-8601 with Z or an offset (default: now).", valueName: "instant"),
        transform: parseInstant)
    var from: Date?

    @Flag(help: "Print JSON.")
    var json = false

    /// The number of transitions asked for, checked.
    static func parseCount(_ text: String?) throws -> Int {
        guard let text else { return 10 }
        let limit = Schedule.maximumTransitions
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("--count must be a whole number from 1 to \(limit), not \"\(text)\"")
        }
        guard (1...limit).contains(value) else {
            throw ValidationError("--count must be from 1 to \(limit), not \(value)")
        }
        return value
    }

    func validate() throws { _ = try Self.parseCount(count) }

    func run() throws {
        let policy = try policyOptions.policyWithCheckedSelectionOrExit()
        let start = from ?? Date()
        let transitions = Schedule(policy: policy).transitions(after: start, limit: try Self.parseCount(count))
        let report = NextReport(policy: policy, from: start, transitions: transitions)
        print(json ? report.json : report.text)
    }
}
