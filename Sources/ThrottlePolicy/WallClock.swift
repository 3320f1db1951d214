import Foundation

/// Converts between instants (seconds since 1970 UTC) and a zone's wall clock, with the policy's rules:
///
/// - a local time that does not exist (spring-forward gap) takes effect at the first instant after the gap;
/// - a local time that occurs twice (fall-back) takes effect at its first occurrence.
///
/// Local times are "wall-clock seconds since 1970-01-01 00:00 local", so local day `n` starts at `n × 86400`.
public struct WallClock: Sendable {
    /// The zone whose wall clock this is.
    public let zone: TimeZoneRules

    /// A wall clock for `zone`.
    public init(zone: TimeZoneRules) { self.zone = zone }

    /// The local calendar date that contains `instant`.
    public func localDate(at instant: Date) -> LocalDate {
        LocalDate(dayNumber: localDay(at: instant.timeIntervalSince1970))
    }

    /// The instant local midnight of `date` takes effect (the first instant after a gap, if midnight is in one).
    public func startOfDay(_ date: LocalDate) -> Date {
        Date(timeIntervalSince1970: TimeInterval(instant(ofLocal: date.dayNumber * Self.secondsPerDay)))
    }

    /// Wall-clock seconds since local midnight at `instant` (0 ..< 86400).
    public func secondsSinceLocalMidnight(at instant: Date) -> Double {
        let seconds = instant.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let local = Int(whole) + offset(at: Int(whole))
        return Double(local - floorDivide(local, Self.secondsPerDay) * Self.secondsPerDay) + (seconds - whole)
    }

    static let secondsPerDay = 86_400
    /// Zone offsets lie within −12 h … +14 h; 36 h either side covers any instant a local time can denote.
    private static let reach = 36 * 3600

    /// Seconds east of UTC in force at `instant`.
    @inline(__always)
    func offset(at instant: Int) -> Int {
        zone.offset(at: instant)
    }

    /// The local day (days since 1970-01-01 on the zone's calendar) that contains `instant`.
    func localDay(at instant: TimeInterval) -> Int {
        let whole = Int(instant.rounded(.down))
        return floorDivide(whole + offset(at: whole), Self.secondsPerDay)
    }

    /// The instant a wall-clock time takes effect, under the gap and repeat rules above.
    func instant(ofLocal local: Int) -> Int {
        let before = offset(at: local - Self.reach)
        let after = offset(at: local + Self.reach)
        if before == after {
            let candidate = local - before
            if offset(at: candidate) == before { return candidate }
            return resolveByScanning(local)
        }
        let transition = firstChange(from: local - Self.reach, to: local + Self.reach, offsetBefore: before)
        if offset(at: transition) != after { return resolveByScanning(local) }
        if local - before < transition { return local - before }
        if local - after >= transition { return local - after }
        return transition
    }

    /// The first instant in (`low`, `high`] whose offset differs from `offsetBefore` (offsets change on whole
    /// seconds).
    private func firstChange(from low: Int, to high: Int, offsetBefore: Int) -> Int {
        var low = low
        var high = high
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(at: middle) == offsetBefore { low = middle } else { high = middle }
        }
        return high
    }

    /// The general case, for the rare stretch with more than one offset change within the reach: walk the
    /// stretch in 15-minute steps, find every change, and apply the rules to each constant-offset segment.
    private func resolveByScanning(_ local: Int) -> Int {
        let step = 900
        var segments: [(start: Int, offset: Int)] = [(local - Self.reach, offset(at: local - Self.reach))]
        var probe = local - Self.reach + step
        while probe <= local + Self.reach {
            let current = offset(at: probe)
            if current != segments[segments.count - 1].offset {
                let change = firstChange(from: probe - step, to: probe, offsetBefore: segments[segments.count - 1].offset)
                segments.append((change, offset(at: change)))
            }
            probe += step
        }
        for (index, segment) in segments.enumerated() {
            let end = index + 1 < segments.count ? segments[index + 1].start : Int.max
            let candidate = local - segment.offset
            if candidate >= segment.start && candidate < end { return candidate }
        }
        for segment in segments.dropFirst() where segment.start + segment.offset > local {
            return segment.start
        }
        return local - segments[segments.count - 1].offset
    }
}

/// Division rounding toward negative infinity.
@inline(__always)
func floorDivide(_ a: Int, _ b: Int) -> Int {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
}
