import ArgumentParser
import ThrottlePolicy
import TokenBucket
import TrafficControl

/// `throttlectl params`: token-bucket parameters for a rate, explained.
struct ParamsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "params",
        abstract: "Compute token-bucket parameters (TBF or HTB) for a rate, as tc would or as throttlectl installs.",
        discussion: """
            Prints every parameter the kernel receives (rates, buffer ticks, limit, quantum), the burst the \
            kernel will really use after its own rounding, any warning the kernel would log, and the \
            equivalent tc command line. --mode tc follows iproute2 6.1's arithmetic exactly; --mode safe \
            (the default) is what throttlectl installs. Sizes take B, KB, KiB, MB, MiB, GB, GiB, TB, TiB \
            (a bare number is bytes); durations us, ms, s. --mtu is the device MTU in safe mode (default 1500) \
            and tc's own mtu parameter in tc mode.

            Examples:
              throttlectl params --rate 10mbit
              throttlectl params --rate 1gbit --qdisc tbf --latency 20ms --json
              throttlectl params --rate 5gbit --qdisc htb --mode tc
            """
    )

    enum Qdisc: String, ExpressibleByArgument, CaseIterable { case htb, tbf }

    // Value options are unconditional, so that a value starting with "-" (`--mtu -1`) reaches our own check
    // and its message, instead of ArgumentParser's "missing value".
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The rate: 524288, 10mbit, 512kibit, 5MB/s …", valueName: "rate"))
    var rate: String

    @Option(parsing: .unconditional, help: ArgumentHelp("HTB ceil (default: the rate).", valueName: "rate"))
    var ceil: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The bucket size.", valueName: "size"))
    var burst: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("HTB ceil bucket size.", valueName: "size"))
    var cburst: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("TBF queueing latency (default 50ms in safe mode).", valueName: "duration"))
    var latency: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("TBF queue limit instead of a latency.", valueName: "size"))
    var limit: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("TBF peak rate.", valueName: "rate"))
    var peakrate: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Device MTU (safe) or tc's mtu (tc mode).", valueName: "bytes"))
    var mtu: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("HTB quantum in bytes.", valueName: "bytes"))
    var quantum: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("HTB rate-to-quantum divisor (default 10).", valueName: "n"))
    var r2q: String?

    @Option(help: "Queueing discipline: htb or tbf.")
    var qdisc: Qdisc = .htb

    @Option(help: "safe (what throttlectl installs) or tc (iproute2 6.1's arithmetic).")
    var mode: String = "safe"

    @Option(help: ArgumentHelp("Device name for the tc command line.", valueName: "name"))
    var device: String = "eth0"

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: ArgumentHelp(
        "TBF, safe mode: per-window (default: the burst and limit for --rate) or fastest-window (those of "
            + "--fastest-rate, at --rate), as apply --bucket-sizing installs them.", valueName: "sizing"))
    var bucketSizing: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "With --bucket-sizing fastest-window: the schedule's fastest rate of the direction.", valueName: "rate"))
    var fastestRate: String?

    private var sizing: BucketSizing { bucketSizing.flatMap(BucketSizing.init(rawValue:)) ?? .perWindow }

    func validate() throws {
        if let bucketSizing, BucketSizing(rawValue: bucketSizing) == nil {
            throw ValidationError("--bucket-sizing takes \(BucketSizing.choicesText), not \"\(bucketSizing)\"")
        }
        if sizing == .fastestWindow {
            if fastestRate == nil { throw ValidationError("--bucket-sizing fastest-window needs --fastest-rate") }
            if qdisc != .tbf || mode != "safe" {
                throw ValidationError("--bucket-sizing fastest-window goes with --qdisc tbf --mode safe")
            }
            if burst != nil || latency != nil || limit != nil || peakrate != nil {
                throw ValidationError(
                    "--bucket-sizing fastest-window computes the burst and limit: no --burst, --latency, --limit "
                        + "or --peakrate")
            }
        } else if fastestRate != nil {
            throw ValidationError("--fastest-rate goes with --bucket-sizing fastest-window")
        }
        if latency != nil && limit != nil { throw ValidationError("give --latency or --limit, not both") }
        guard ShapingMode(rawValue: mode) != nil else { throw ValidationError("--mode is safe or tc") }
        if qdisc == .tbf && (ceil != nil || cburst != nil || quantum != nil) {
            throw ValidationError("--ceil, --cburst and --quantum belong to HTB (--qdisc htb)")
        }
        if qdisc == .htb && (latency != nil || limit != nil || peakrate != nil) {
            throw ValidationError("--latency, --limit and --peakrate belong to TBF (--qdisc tbf)")
        }
    }

    func run() throws {
        let mode = ShapingMode(rawValue: mode)!
        let clock = try SystemClock.current()
        do {
            let mtu = try count(self.mtu, "--mtu", unit: "bytes", example: "1500")
            let quantum = try count(self.quantum, "--quantum", unit: "bytes", example: "1514")
            let r2q = try count(self.r2q, "--r2q", unit: nil, example: "10") ?? 10
            if let mtu { try ShapingLimits.checkMTU(mtu, what: "--mtu: an MTU") }
            switch qdisc {
            case .tbf:
                let request = TBFRequest(
                    bitsPerSecond: try bits(rate, "--rate"), burst: try size(burst, "--burst"),
                    queueBound: try queueBound(), mtu: mtu, peakBitsPerSecond: try peakrate.map { try bits($0, "--peakrate") })
                var parameters = try TBFParameters(request, mode: mode, clock: clock)
                var choice: BucketSizingChoice?
                if let fastestRate, sizing == .fastestWindow {
                    let fastest = try bits(fastestRate, "--fastest-rate")
                    guard fastest >= request.bitsPerSecond else {
                        throw TokenBucketError(
                            "--fastest-rate (\(fastest) bit/s) is below --rate (\(request.bitsPerSecond) bit/s): give "
                                + "the schedule's fastest rate")
                    }
                    if fastest != request.bitsPerSecond {
                        parameters = try TBFParameters(TBFRequest(bitsPerSecond: fastest, mtu: mtu), mode: mode,
                                                       clock: clock).atRate(request.bitsPerSecond, clock: clock)
                    }
                    choice = BucketSizingChoice(sizing: .fastestWindow, sizedFor: fastest)
                } else if qdisc == .tbf && mode == .safe {
                    choice = BucketSizingChoice(sizing: .perWindow, sizedFor: request.bitsPerSecond)
                }
                print(json ? ParamsReport.json(parameters, device: device, sizing: choice)
                    : ParamsReport.text(parameters, device: device, sizing: choice?.text))
            case .htb:
                let request = HTBRequest(
                    bitsPerSecond: try bits(rate, "--rate"), ceilBitsPerSecond: try ceil.map { try bits($0, "--ceil") },
                    burst: try size(burst, "--burst"), cburst: try size(cburst, "--cburst"), quantum: quantum, r2q: r2q,
                    mtu: mtu)
                let parameters = try HTBClassParameters(request, mode: mode, clock: clock)
                print(json ? ParamsReport.json(parameters, device: device) : ParamsReport.text(parameters, device: device))
            }
        } catch let error as TokenBucketError {
            printError(error.message)
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
    }

    /// The rate a flag gives; in safe mode it must lie in the range throttlectl shapes (as policies must).
    private func bits(_ text: String, _ flag: String) throws -> UInt64 {
        let value: UInt64
        do { value = try RateParser.bitsPerSecond(text) } catch { throw TokenBucketError("\(flag): \(error.message)") }
        if ShapingMode(rawValue: mode) == .safe { try ShapingLimits.checkRate(value, what: "\(flag): a rate") }
        return value
    }

    private func size(_ text: String?, _ flag: String) throws -> UInt64? {
        guard let text else { return nil }
        do { return try ByteSize.parse(text) } catch { throw TokenBucketError("\(flag): \(error.message)") }
    }

    /// A whole-number flag (`--mtu`, `--quantum`, `--r2q`), read by our parser so that `1500B`, `-1` or
    /// `1.5` get a message naming the flag (exit 65, as every other `params` value).
    private func count(_ text: String?, _ flag: String, unit: String?, example: String) throws -> UInt32? {
        guard let text else { return nil }
        do { return try WholeNumber.parse32(text, unit: unit, example: example) } catch {
            throw TokenBucketError("\(flag): \(error.message)")
        }
    }

    private func queueBound() throws -> TBFRequest.QueueBound? {
        if let latency {
            do { return .latency(microseconds: try Duration.microseconds(latency)) } catch {
                throw TokenBucketError("--latency: \(error.message)")
            }
        }
        return try size(limit, "--limit").map { .limit(bytes: $0) }
    }
}
