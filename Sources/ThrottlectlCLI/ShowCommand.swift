import ArgumentParser
import Foundation
import ThrottlePolicy

/// `throttlectl show`: the window in force at an instant.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the window in force (default: now).",
        discussion: """
            Prints the kind of window (work-hours, non-work-hours, unthrottled), its bandwidth, and when it \
            started and ends, in the policy's time zone. With --json: an object with the keys kind, throttled, \
            bitsPerSecond (null when unlimited), start, end (null when nothing changes) and timeZone. A policy \
            with a traffic selection adds a line (tags, prefix counts, ports), and in JSON a "traffic" object.

            Examples:
              throttlectl show --policy examples/mars-documented.yaml
              throttlectl show --policy examples/mars-documented.yaml --at 2026-11-24T10:00:00+01:00 --json
              throttlectl show --work-days mon,tue --start-work-hour 9:00 --end-work-hour 18:00 \\
                  --work-hour-bandwidth 524288 --non-work-hour-bandwidth 2097152 --time-zone Europe/Berlin
            """
    )

    @OptionGroup var policyOptions: PolicyOptions

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("ISO-8601 instant with Z or an offset (default: now).", valueName: "instant"),
        transform: parseInstant)
    var at: Date?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let policy = try policyOptions.policyOrExit()
        let selection = try TrafficSelectionResolver.selectionOrExit(for: policy).map(SelectionReport.init)
        let window = Schedule(policy: policy).window(at: at ?? Date())
        let report = WindowReport(window: window, timeZone: policy.timeZone)
        guard let selection else {
            print(json ? WindowReport.json([report], asArray: false) : report.text)
            return
        }
        guard json, case .object(let members) = report.jsonValue else {
            print(report.text + "\n" + selection.summary)
            return
        }
        print(JSONValue.object(members + [("traffic", selection.jsonValue)]).rendered())
    }
}
