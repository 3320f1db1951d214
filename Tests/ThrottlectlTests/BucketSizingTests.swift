import Foundation
import Testing
import TestSupport
import ThrottlePolicy
import TokenBucket
import TrafficControl
@testable import ThrottlectlCLI

/// `--bucket-sizing`: per-window (each window sized for its own rate, the default) or fastest-window (every
/// window of a direction gets the burst and limit of the schedule's fastest rate, at its own rate).
struct BucketSizingTests {
    static let slow: UInt64 = 524_288
    static let fast: UInt64 = 100_000_000
    static let ethernet = NetworkInterface(index: 7, name: "veth0", mtu: 1500, isUp: true)

    static func window(_ kind: WindowKind, _ bits: UInt64) -> Window {
        Window(allowance: Allowance(kind: kind, bandwidth: .bitsPerSecond(bits)), start: nil, end: nil)
    }

    static func policy(work: UInt64 = slow, nonWork: UInt64 = fast) throws -> Policy {
        try Policy(workDays: [.monday], workHours: try hours(),
                   workHourBandwidth: .bitsPerSecond(work), nonWorkHourBandwidth: .bitsPerSecond(nonWork),
                   timeZone: try TimeZoneName.parse("UTC"))
    }

    static func hours() throws -> WorkHours {
        try WorkHours(start: TimeOfDay(hour: 9, minute: 0)!, end: TimeOfDay(hour: 18, minute: 0)!)
    }

    static func plans(_ sizing: BucketSizing) throws -> (slow: DirectionPlan, fast: DirectionPlan) {
        let builder = PlanBuilder(policy: try policy(), clock: .highResolution, selection: nil, sizing: sizing)
        let slow = try builder.plan(window: window(.workHours, Self.slow), interface: ethernet)
        let fast = try builder.plan(window: window(.nonWorkHours, Self.fast), interface: ethernet)
        return (try #require(slow.upload), try #require(fast.upload))
    }

    @Test func fastestWindowGivesBothWindowsTheFastRatesBurstAndLimit() throws {
        let (slow, fast) = try Self.plans(.fastestWindow)
        let own = try TBFParameters(TBFRequest(bitsPerSecond: Self.fast, mtu: 1500), mode: .safe)
        #expect(slow.tbf.burst == own.burst)
        #expect(slow.tbf.limit == own.limit)
        #expect(fast.tbf == own)
        // Each window keeps its own rate, and the ticks are the burst's at that rate.
        #expect(slow.bitsPerSecond == Self.slow)
        #expect(slow.tbf.rate.bytesPerSecond == Self.slow / 8)
        let ticks = PacketSchedulerClock.highResolution.ticks(
            nanoseconds: KernelRate(bytesPerSecond: Self.slow / 8).nanoseconds(toSend: slow.tbf.burst))
        #expect(UInt64(slow.tbf.kernelBufferTicks) == ticks)
        #expect(slow.tbf.notes.last?.contains("schedule's fastest rate") == true)
    }

    @Test func perWindowIsUnchangedAndTheDefault() throws {
        let (slow, fast) = try Self.plans(.perWindow)
        let plain = PlanBuilder(policy: try Self.policy(), clock: .highResolution, selection: nil)
        #expect(plain.sizing == .perWindow)
        #expect(try plain.plan(window: Self.window(.workHours, Self.slow), interface: Self.ethernet).upload == slow)
        let ownSlow = try TBFParameters(TBFRequest(bitsPerSecond: Self.slow, mtu: 1500), mode: .safe)
        #expect(slow.tbf == ownSlow)
        #expect(slow.tbf.burst < fast.tbf.burst)
        #expect(slow.tbf.limit < fast.tbf.limit)
    }

    @Test func theReconcilerChangesInPlaceUnderFastestWindowAndGraftsPerWindow() throws {
        for (sizing, inPlace) in [(BucketSizing.fastestWindow, true), (.perWindow, false)] {
            let (slow, fast) = try Self.plans(sizing)
            // The fast window's bucket is what the kernel holds; the slow window's is what is wanted.
            #expect((slow.setting.burst >= fast.setting.burst) == inPlace, "\(sizing)")
        }
    }

    @Test func sizedForIsEachDirectionsFastestLimitedRate() throws {
        let policy = try Policy(
            workDays: [.monday], workHours: try Self.hours(),
            workHourBandwidth: .bitsPerSecond(2_000_000), nonWorkHourBandwidth: .unlimited,
            timeZone: try TimeZoneName.parse("UTC"),
            workHourDownloadBandwidth: .bitsPerSecond(1_000_000),
            nonWorkHourDownloadBandwidth: .bitsPerSecond(8_000_000))
        let fastest = PlanBuilder(policy: policy, clock: .highResolution, selection: nil, sizing: .fastestWindow)
        #expect(fastest.sizedFor == BucketSizingRates(upload: 2_000_000, download: 8_000_000))
        let own = PlanBuilder(policy: policy, clock: .highResolution, selection: nil, sizing: .perWindow)
        #expect(own.sizedFor == .own)
    }

    @Test func aPeakOrTcModeBucketIsNotMoved() throws {
        let peaked = try TBFParameters(TBFRequest(bitsPerSecond: Self.fast, peakBitsPerSecond: 200_000_000),
                                       mode: .safe)
        #expect(throws: TokenBucketError.self) { try peaked.atRate(Self.slow) }
        let plain = try TBFParameters(TBFRequest(bitsPerSecond: Self.fast), mode: .safe)
        #expect(throws: TokenBucketError.self) { try plain.atRate(7) }
    }

    @Test func theFlagIsParsedAndABadValueIsRefused() throws {
        let policy = try Self.policy()
        #expect(try BucketSizingOptions.parse([]).sizing(for: policy) == .perWindow)
        #expect(try BucketSizingOptions.parse(["--bucket-sizing", "fastest-window"]).sizing(for: policy) == .fastestWindow)
        #expect(try BucketSizingOptions.parse(["--bucket-sizing", "per-window"]).sizing(for: policy) == .perWindow)
        let result = try BinaryRunner.run(["apply", "--no-throttle", "-i", "nosuchif0", "--dry-run",
                                           "--bucket-sizing", "fastest"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--bucket-sizing takes per-window or fastest-window, not \"fastest\""))
        for command in ["apply", "run"] {
            let help = try BinaryRunner.run([command, "--help"])
            #expect(help.stdout.contains("--bucket-sizing <sizing>"), "\(command)")
        }
    }

    /// On lo (read only): the dry run names the sizing and shows the slow window's burst in bytes and in ms.
    // Per-window: two of lo's 65,550-byte frames (5 ms at 512 Kibit/s is less); fastest-window: 5 ms at 1 Gbit/s.
    @Test(arguments: [("per-window", UInt64(2 * 65_550)), ("fastest-window", 625_000)])
    func theDryRunShowsTheSizingAndTheBurstInMilliseconds(sizing: String, burst: UInt64) throws {
        let result = try BinaryRunner.run([
            "apply", "--work-days", "mon-fri", "--start-work-hour", "09:00", "--end-work-hour", "18:00",
            "--work-hour-bandwidth", "512kibit", "--non-work-hour-bandwidth", "1gbit", "--time-zone", "UTC",
            "-i", "lo", "--dry-run", "--at", "2026-11-24T10:00:00Z", "--bucket-sizing", sizing,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("bucket sizing: \(sizing) ("), "\(result.stdout)")
        let milliseconds = String(format: "%.2f ms", Double(burst) * 1000 / Double(Self.slow / 8))
        #expect(result.stdout.contains("tbf 524288 bit/s, burst \(burst) B (\(milliseconds) at the rate"),
                "\(result.stdout)")
    }

    static func policyText(_ sizing: String?) -> String {
        """
        work-days: mon-fri
        work-hours:
          start: "09:00"
          end: "18:00"
        work-hour-bandwidth: 512kibit
        non-work-hour-bandwidth: 1gbit
        time-zone: UTC
        """ + (sizing.map { "\nbucket-sizing: \($0)\n" } ?? "\n")
    }

    @Test func thePolicyKeyIsReadAndDefaultsToPerWindow() throws {
        let fastest = try PolicyLoader.draft(text: Self.policyText("fastest-window"), file: "p.yaml").build()
        #expect(fastest.bucketSizing == .fastestWindow)
        let plain = try PolicyLoader.draft(text: Self.policyText(nil), file: "p.yaml").build()
        #expect(plain.bucketSizing == .perWindow)
        let flag = try BucketSizingOptions.parse(["--bucket-sizing", "per-window"])
        #expect(flag.sizing(for: fastest) == .perWindow, "the flag overrides the key")
        #expect(try BucketSizingOptions.parse([]).sizing(for: fastest) == .fastestWindow)
    }

    @Test(arguments: [("fastest", "unknown bucket sizing \"fastest\": give per-window or fastest-window"),
                      ("[per-window]", "per-window or fastest-window")])
    func aBadPolicyValueNamesFileLineAndColumn(value: String, message: String) throws {
        let error = try #require(throws: PolicyError.self) {
            try PolicyLoader.draft(text: Self.policyText(value), file: "p.yaml").build()
        }
        let text = error.diagnostics.map(\.description).joined(separator: "\n")
        #expect(text.contains("p.yaml:8:16: "), "\(text)")
        #expect(text.contains(message), "\(text)")
    }

    /// The key in a file, and the flag over it, as `apply --dry-run` on lo shows them.
    @Test func applyReadsTheKeyAndTheFlagOverridesIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("policy.yaml").path
        try Self.policyText("fastest-window").write(toFile: file, atomically: true, encoding: .utf8)
        let base = ["apply", "--policy", file, "-i", "lo", "--dry-run", "--at", "2026-11-24T10:00:00Z"]
        let keyed = try BinaryRunner.run(base)
        #expect(keyed.status == 0, "\(keyed.stderr)")
        #expect(keyed.stdout.contains("bucket sizing: fastest-window"), "\(keyed.stdout)")
        #expect(keyed.stdout.contains("burst 625000 B"), "\(keyed.stdout)")
        let overridden = try BinaryRunner.run(base + ["--bucket-sizing", "per-window"])
        #expect(overridden.stdout.contains("bucket sizing: per-window"), "\(overridden.stdout)")
        #expect(overridden.stdout.contains("burst \(2 * 65_550) B"), "\(overridden.stdout)")
    }

    @Test func paramsShowsTheSizingAndTheBurstInMilliseconds() throws {
        let result = try BinaryRunner.run(["params", "--rate", "512kibit", "--qdisc", "tbf", "--bucket-sizing",
                                           "fastest-window", "--fastest-rate", "100mbit", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let fast = try TBFParameters(TBFRequest(bitsPerSecond: Self.fast, mtu: 1500), mode: .safe)
        #expect(object["bucketSizing"] as? String == "fastest-window")
        #expect((object["burst"] as? NSNumber)?.uint64Value == UInt64(fast.burst))
        #expect((object["limit"] as? NSNumber)?.uint64Value == UInt64(fast.limit))
        #expect((object["rateBytesPerSecond"] as? NSNumber)?.uint64Value == Self.slow / 8)
        let milliseconds = try #require((object["burstMicroseconds"] as? NSNumber)?.doubleValue) / 1000
        #expect(abs(milliseconds - Double(fast.burst) * 1000 / Double(Self.slow / 8)) < 0.01)
        let text = try BinaryRunner.run(["params", "--rate", "512kibit", "--qdisc", "tbf"])
        #expect(text.stdout.contains("bucket sizing    per-window"), "\(text.stdout)")
        for (arguments, message) in [
            (["--bucket-sizing", "fastest-window"], "--bucket-sizing fastest-window needs --fastest-rate"),
            (["--fastest-rate", "1mbit"], "--fastest-rate goes with --bucket-sizing fastest-window"),
            (["--bucket-sizing", "all"], "--bucket-sizing takes per-window or fastest-window, not \"all\""),
        ] {
            let refused = try BinaryRunner.run(["params", "--rate", "512kibit", "--qdisc", "tbf"] + arguments)
            #expect(refused.status == 64, "\(arguments)")
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
        }
    }
}
