import ThrottlePolicy
import TokenBucket
import TrafficControl
import TrafficSelection

/// The one place a schedule window becomes a shaping plan, for `apply` and for `run`.
struct PlanBuilder {
    let policy: Policy
    let clock: PacketSchedulerClock
    /// Shape only this traffic; `nil`: the whole interface.
    let selection: TrafficSelection?
    /// Each window for its own rate, or every window for the schedule's fastest (`--bucket-sizing`).
    var sizing: BucketSizing = .perWindow

    /// The rates buckets are sized for: none (each window its own) or each direction's fastest limited rate.
    var sizedFor: BucketSizingRates {
        guard sizing == .fastestWindow, policy.throttling, let schedule = policy.schedule else { return .own }
        return BucketSizingRates(
            upload: [schedule.workHourBandwidth, schedule.nonWorkHourBandwidth].compactMap(\.bitsPerSecond).max(),
            download: [schedule.workHourDownloadBandwidth, schedule.nonWorkHourDownloadBandwidth]
                .compactMap(\.bitsPerSecond).max())
    }

    /// The plan for `window` on `interface`, after ``checkEveryWindow(interface:)``.
    func plan(window: Window, interface: NetworkInterface) throws(TokenBucketError) -> ShapingPlan {
        try checkEveryWindow(interface: interface)
        return try planWithoutCheck(window: window, interface: interface)
    }

    /// The plan for `window` alone, for a caller that has run ``checkEveryWindow(interface:)`` already.
    func planWithoutCheck(window: Window, interface: NetworkInterface) throws(TokenBucketError) -> ShapingPlan {
        try ShapingPlanner(clock: clock).plan(window: window, interface: interface, selection: selection,
                                              sizedFor: sizedFor)
    }

    /// Every window the policy can produce must be shapeable, not only the one in force now: a bad rate is
    /// reported today, not at tonight's transition. Rates only: the selection's trees do not depend on the
    /// window, and are planned once, for the window in force.
    func checkEveryWindow(interface: NetworkInterface) throws(TokenBucketError) {
        let planner = ShapingPlanner(clock: clock)
        if let schedule = policy.schedule, policy.throttling {
            for (kind, upload, download) in [
                (WindowKind.workHours, schedule.workHourBandwidth, schedule.workHourDownloadBandwidth),
                (.nonWorkHours, schedule.nonWorkHourBandwidth, schedule.nonWorkHourDownloadBandwidth),
            ] {
                let other = Window(allowance: Allowance(kind: kind, bandwidth: upload, download: download),
                                   start: nil, end: nil)
                _ = try planner.plan(window: other, interface: interface, sizedFor: sizedFor)
            }
        }
    }
}
