import Foundation
import FuzzSupport
import ThrottlePolicy

/// The policy loader fed YAML and JSON: `PolicyLoader.policy(text:file:)`, as `validate`, `show` and `apply`
/// call it once the file is read. A policy it accepts then goes through the schedule engine at a few instants,
/// and every refusal is rendered, so a crash while building a message counts too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // `PolicyLoader.readText` refuses text that is not UTF-8 before the loader sees it.
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else {
        return 0
    }
    // Crashes/policy/combining-mark-work-hours.yaml.
    if skipKnownBugs, hasDigitWithMarks(text) { return 0 }
    do {
        let policy = try PolicyLoader.policy(text: text, file: "fuzz.yaml")
        _ = policy.summary
        let schedule = Schedule(policy: policy)
        for instant in probeInstants {
            _ = schedule.bandwidth(at: instant)
            _ = schedule.window(at: instant)
            _ = schedule.nextTransition(after: instant)
        }
        _ = schedule.timeline(from: probeInstants[0], to: probeInstants[0].addingTimeInterval(8 * 86_400))
    } catch {
        _ = error.description
        _ = error.exitCode
    }
    return 0
}

/// Ordinary days, both DST changes in Europe and America in 2026, and the ends of the years a policy can name.
private let probeInstants: [Date] = [
    1_795_600_800,  // 2026-11-24T09:00:00Z
    1_774_746_000,  // 2026-03-29T01:00:00Z (Europe springs forward)
    1_792_890_000,  // 2026-10-25T01:00:00Z (Europe falls back)
    1_773_025_200,  // 2026-03-08T03:00:00Z
    -62_135_596_800,  // 0001-01-01T00:00:00Z
    253_402_300_799,  // 9999-12-31T23:59:59Z
].map { Date(timeIntervalSince1970: $0) }

@_cdecl("FuzzPolicy_main")
func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv, fuzzPolicy)
}
