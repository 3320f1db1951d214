/// Walking the days before and after an instant to find where windows begin and end.
extension Schedule {
    /// Two weeks before `day` or before the first exception date, whichever is earlier: a pattern that has
    /// not changed by then never will.
    func lowestDayToSearch(from day: Int) -> Int { min(day, firstExceptionDay ?? day) - 15 }

    /// Two weeks after `day` or after the last exception date, whichever is later.
    func highestDayToSearch(from day: Int) -> Int { max(day, lastExceptionDay ?? day) + 15 }

    /// The start of the chain of touching work windows that ends with `interval`; `nil` past the horizon.
    func chainStart(from interval: Interval, day: Int) -> Int? {
        var start = interval.start
        var candidate = day - 1
        while candidate >= lowestDayToSearch(from: day) {
            if let earlier = workInterval(startingOn: candidate) {
                guard earlier.end == start else { return start }
                start = earlier.start
            }
            candidate -= 1
        }
        return nil
    }

    /// The end of the chain of touching work windows that starts with `interval`; `nil` past the horizon.
    func chainEnd(from interval: Interval, day: Int) -> Int? {
        var end = interval.end
        var candidate = day + 1
        while candidate <= highestDayToSearch(from: day) {
            if let later = workInterval(startingOn: candidate) {
                guard later.start == end else { return end }
                end = later.end
            }
            candidate += 1
        }
        return nil
    }

    /// The latest end of a work window at or before `seconds`, searching back from local day `fromDay`.
    func lastWorkEnd(atOrBefore seconds: Double, fromDay: Int) -> Int? {
        var candidate = fromDay
        while candidate >= lowestDayToSearch(from: fromDay) {
            if let interval = workInterval(startingOn: candidate), Double(interval.end) <= seconds {
                return interval.end
            }
            candidate -= 1
        }
        return nil
    }

    /// The earliest start of a work window after `seconds`, searching forward from local day `fromDay`.
    func firstWorkStart(after seconds: Double, fromDay: Int) -> Int? {
        var candidate = fromDay
        while candidate <= highestDayToSearch(from: fromDay) {
            if let interval = workInterval(startingOn: candidate), Double(interval.start) > seconds {
                return interval.start
            }
            candidate += 1
        }
        return nil
    }
}
