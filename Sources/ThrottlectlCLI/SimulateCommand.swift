import ArgumentParser
import Foundation
import ThrottlePolicy
import TokenBucket

/// `throttlectl simulate`: the schedule's windows over a stretch of time.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "List the windows between two instants, or estimate when a transfer finishes.",
        discussion: """
            The windows overlapping [--from, --to), clipped to it, with the same keys as `show`. JSON is an \
            array; the SVG is a chart with days as rows and hours as columns, coloured by rate.

            With --transfer SIZE --start INSTANT: when a transfer of SIZE (B, KB, KiB, … TiB) started at \
            INSTANT finishes under the policy, and the bytes moved in each window. Windows without a limit \
            run at --link-speed, which also caps every other window. JSON keys: finish, seconds, windows \
            (start, end, kind, bitsPerSecond, bytes).

            Examples:
              throttlectl simulate --policy examples/mars-documented.yaml \\
                  --from 2026-11-23T00:00:00+01:00 --to 2026-11-30T00:00:00+01:00
              throttlectl simulate --policy examples/overnight.yaml \\
                  --from 2026-03-23T00:00:00Z --to 2026-04-06T00:00:00Z --format svg > fortnight.svg
              throttlectl simulate --policy examples/office-hours.yaml \\
                  --transfer 2TiB --start 2026-11-27T18:00:00-05:00 --json
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv, svg
    }

    @OptionGroup var policyOptions: PolicyOptions

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Start, ISO-8601 with Z or an offset.", valueName: "instant"),
        transform: parseInstant)
    var from: Date?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("End (exclusive), ISO-8601 with Z or an offset.", valueName: "instant"),
        transform: parseInstant)
    var to: Date?

    @Option(help: "Output format: text, json, csv or svg.")
    var format: Format?

    @Flag(help: "Print JSON (the same as --format json).")
    var json = false

    // Unconditional, so that `--transfer -1GB` reaches our size parser (see PolicyOptions).
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Estimate a transfer of this size (2TiB, 500GB, …).", valueName: "size"))
    var transfer: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("When the transfer starts (with --transfer).", valueName: "instant"),
        transform: parseInstant)
    var start: Date?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The link's speed: the rate of unlimited windows, and a cap on all.", valueName: "rate"))
    var linkSpeed: String?

    private var outputFormat: Format { json ? .json : format ?? .text }

    func validate() throws {
        if json, let format, format != .json {
            throw ValidationError("give --json or --format \(format.rawValue), not both (--json is --format json)")
        }
        if transfer != nil {
            guard start != nil else { throw ValidationError("--transfer needs --start") }
            guard from == nil, to == nil else { throw ValidationError("--transfer goes with --start, not --from/--to") }
            guard [.text, .json].contains(outputFormat) else {
                throw ValidationError("a transfer estimate prints as text or json")
            }
            return
        }
        if start != nil || linkSpeed != nil { throw ValidationError("--start and --link-speed go with --transfer") }
        guard let from, let to else { throw ValidationError("simulate needs --from and --to (or --transfer and --start)") }
        guard from < to else { throw ValidationError("--from must be before --to") }
        guard to.timeIntervalSince(from) <= 100 * 366 * 86_400 else {
            throw ValidationError("--from and --to are more than 100 years apart")
        }
    }

    func run() throws {
        let policy = try policyOptions.policyWithCheckedSelectionOrExit()
        if let transfer {
            try estimateTransfer(transfer, policy: policy)
            return
        }
        let windows = Schedule(policy: policy).timeline(from: from!, to: to!)
        let reports = windows.map { WindowReport(window: $0, timeZone: policy.timeZone) }
        switch outputFormat {
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

    private func estimateTransfer(_ sizeText: String, policy: Policy) throws {
        let estimate: TransferEstimate
        do {
            let bytes: UInt64
            do { bytes = try ByteSize.parse(sizeText) } catch { throw TokenBucketError("--transfer: \(error.message)") }
            let link = try linkSpeed.map { text throws(TokenBucketError) in
                do throws(ValueError) { return try RateParser.bitsPerSecond(text) } catch {
                    throw TokenBucketError("--link-speed: \(error.message)")
                }
            }
            estimate = try Schedule(policy: policy).estimateTransfer(bytes: bytes, startingAt: start!,
                                                                     linkBitsPerSecond: link)
        } catch let error as TokenBucketError {
            printError(error.message)
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        } catch {
            throw reportFailure(error)
        }
        let report = TransferReport(estimate: estimate, timeZone: policy.timeZone)
        print(outputFormat == .json ? report.json : report.text)
    }
}
