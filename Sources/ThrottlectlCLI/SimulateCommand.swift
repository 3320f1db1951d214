import ArgumentParser
import Foundation
import ThrottlePolicy

/// `throttlectl simulate`: the schedule's windows over a stretch of time.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "List the windows between two instants, as text, JSON, CSV or an SVG chart.",
        discussion: """
            The windows overlapping [--from, --to), clipped to it, with the same keys as `show`. JSON is an \
            array; the SVG is a chart with days as rows and hours as columns, coloured by rate.

            Examples:
              throttlectl simulate --policy examples/mars-documented.yaml \\
                  --from 2026-11-23T00:00:00+01:00 --to 2026-11-30T00:00:00+01:00
              throttlectl simulate --policy examples/overnight.yaml \\
                  --from 2026-03-23T00:00:00Z --to 2026-04-06T00:00:00Z --format svg > fortnight.svg
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv, svg
    }

    @OptionGroup var policyOptions: PolicyOptions

    @Option(help: ArgumentHelp("Start, ISO-8601 with Z or an offset.", valueName: "instant"), transform: parseInstant)
    var from: Date?

    @Option(help: ArgumentHelp("End (exclusive), ISO-8601 with Z or an offset.", valueName: "instant"), transform: parseInstant)
    var to: Date?

    @Option(help: "Output format: text, json, csv or svg.")
    var format: Format = .text

    func validate() throws {
        guard let from, let to else { throw ValidationError("simulate needs --from and --to") }
        guard from < to else { throw ValidationError("--from must be before --to") }
        guard to.timeIntervalSince(from) <= 100 * 366 * 86_400 else {
            throw ValidationError("--from and --to are more than 100 years apart")
        }
    }

    func run() throws {
        let policy: Policy
        do {
            policy = try policyOptions.resolvePolicy()
        } catch {
            throw reportFailure(error)
        }
        let windows = Schedule(policy: policy).timeline(from: from!, to: to!)
        let reports = windows.map { WindowReport(window: $0, timeZone: policy.timeZone) }
        switch format {
        case .json:
            print(WindowReport.json(reports, asArray: true))
        case .csv:
            print(([WindowReport.csvHeader] + reports.map(\.csvRow)).joined(separator: "\n"))
        case .svg:
            print(TimelineChart(windows: windows, policy: policy, from: from!, to: to!).svg)
        case .text:
            print("\(policy.summary)")
            print("START".padding(27) + "END".padding(27) + "KIND".padding(16) + "BANDWIDTH")
            for report in reports {
                print(
                    (report.startText ?? "").padding(27) + (report.endText ?? "").padding(27)
                        + report.window.kind.rawValue.padding(16) + report.bandwidthText)
            }
        }
    }
}
