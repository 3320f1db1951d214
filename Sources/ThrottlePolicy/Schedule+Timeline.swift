import Foundation

extension Schedule {
    /// The windows that overlap [`from`, `to`), clipped to it: contiguous, in order, neighbours different.
    public func timeline(from: Date, to: Date) -> [Window] {
        guard from < to else { return [] }
        guard policy.throttling, policy.schedule != nil else {
            return [Window(allowance: Self.unthrottled, start: from, end: to)]
        }
        let low = from.timeIntervalSince1970
        let high = to.timeIntervalSince1970
        let intervals = mergedWorkIntervals(fromDay: clock.localDay(at: low) - 2, toDay: clock.localDay(at: high) + 1)

        var windows: [Window] = []
        var cursor = from
        func append(_ allowance: Allowance, until end: Date) {
            guard cursor < end else { return }
            windows.append(Window(allowance: allowance, start: cursor, end: end))
            cursor = end
        }
        for interval in intervals where Double(interval.end) > low && Double(interval.start) < high {
            let start = max(from, Date(timeIntervalSince1970: TimeInterval(interval.start)))
            let end = min(to, Date(timeIntervalSince1970: TimeInterval(interval.end)))
            append(nonWorkAllowance, until: start)
            append(workAllowance, until: end)
        }
        append(nonWorkAllowance, until: to)
        return windows
    }

    /// The work windows of local days `fromDay`…`toDay`, in order, touching ones joined.
    func mergedWorkIntervals(fromDay: Int, toDay: Int) -> [Interval] {
        var merged: [Interval] = []
        merged.reserveCapacity(toDay - fromDay + 1)
        for day in fromDay...toDay {
            guard let interval = workInterval(startingOn: day) else { continue }
            if let last = merged.last, last.end == interval.start {
                merged[merged.count - 1].end = interval.end
            } else {
                merged.append(interval)
            }
        }
        return merged
    }
}
