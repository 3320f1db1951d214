/// A second, deliberately naive schedule evaluator: it shares no code with `WallClock` or `Schedule`.
///
/// Wall time comes from zdump's offsets table; local times become instants by trying every constant-offset
/// stretch (the first occurrence wins; a time in a gap takes effect where the gap ends); days of the week come
/// from days since 1970 (a Thursday). It follows README "How the schedule is computed".
struct BruteForceSchedule {
    /// Monday = 0 … Sunday = 6.
    let workDays: Set<Int>
    /// Minutes after midnight; `endMinute` may be 1440 (24:00). `endMinute < startMinute` is overnight.
    let startMinute: Int
    let endMinute: Int
    let exceptionDays: Set<Int>
    let segments: [(start: Int, end: Int, offset: Int)]

    init(
        table: ZdumpZone, workDays: Set<Int>, startMinute: Int, endMinute: Int, exceptionDays: Set<Int>,
        around range: ClosedRange<Int>
    ) {
        self.workDays = workDays
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.exceptionDays = exceptionDays
        // Only the stretches near the instants of interest, so the brute force stays quick.
        let margin = 60 * 86_400
        segments = table.segments.filter { $0.end > range.lowerBound - margin && $0.start < range.upperBound + margin }
    }

    func offset(at instant: Int) -> Int {
        segments.first { $0.start <= instant && instant < $0.end }?.offset ?? segments.last!.offset
    }

    /// Wall-clock seconds since 1970-01-01 00:00 local.
    func local(_ instant: Int) -> Int { instant + offset(at: instant) }

    static func day(ofLocal local: Int) -> Int { local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400) }

    static func weekday(ofDay day: Int) -> Int { ((day + 3) % 7 + 7) % 7 }

    /// The first instant whose wall clock shows `local`, or the end of the gap that skips it.
    func instant(ofLocal local: Int) -> Int {
        let occurrences = segments.compactMap { segment -> Int? in
            let candidate = local - segment.offset
            return segment.start <= candidate && candidate < segment.end ? candidate : nil
        }
        if let first = occurrences.min() { return first }
        return segments.first { $0.start + $0.offset > local }?.start ?? local - segments.last!.offset
    }

    /// The work window that starts on local day `day`, or `nil`.
    func interval(startingOn day: Int) -> (start: Int, end: Int)? {
        guard workDays.contains(Self.weekday(ofDay: day)), !exceptionDays.contains(day) else { return nil }
        let endDay = endMinute < startMinute ? day + 1 : day
        let start = instant(ofLocal: day * 86_400 + startMinute * 60)
        let end = instant(ofLocal: endDay * 86_400 + endMinute * 60)
        return end > start ? (start, end) : nil
    }

    /// True inside any window that started on a nearby local day.
    func isWork(at instant: Int) -> Bool {
        let today = Self.day(ofLocal: local(instant))
        return (today - 2...today + 1).contains { day in
            interval(startingOn: day).map { $0.start <= instant && instant < $0.end } ?? false
        }
    }

    /// The schoolbook rule on the wall clock alone: right wherever no clock change is near.
    func isWorkByWallClock(at instant: Int) -> Bool {
        let local = local(instant)
        let today = Self.day(ofLocal: local)
        let seconds = local - today * 86_400
        func works(_ day: Int) -> Bool { workDays.contains(Self.weekday(ofDay: day)) && !exceptionDays.contains(day) }
        if endMinute > startMinute {
            return works(today) && startMinute * 60 <= seconds && seconds < endMinute * 60
        }
        return (works(today) && seconds >= startMinute * 60) || (works(today - 1) && seconds < endMinute * 60)
    }

    /// The work windows of local days `days`, touching ones joined, with the days they started on.
    func chunks(days: ClosedRange<Int>) -> [(start: Int, end: Int)] {
        var chunks: [(start: Int, end: Int)] = []
        for day in days {
            guard let next = interval(startingOn: day) else { continue }
            if let last = chunks.last, last.end == next.start {
                chunks[chunks.count - 1].end = next.end
            } else {
                chunks.append(next)
            }
        }
        return chunks
    }
}
