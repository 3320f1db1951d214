import Foundation

/// The machine's CPU time counters from `/proc/stat` (all cores, in clock ticks): how much time a virtual
/// machine's host took away ("steal") beside the total, so that a traffic measurement can say how much of the
/// machine it really had.
public struct CPUTimes: Sendable {
    /// The first eight columns of the `cpu` line added up (user … steal).
    public let total: UInt64
    /// The steal column (the 8th).
    public let stolen: UInt64

    /// Counters as given (tests of code that judges steal).
    public init(total: UInt64, stolen: UInt64) {
        self.total = total
        self.stolen = stolen
    }

    public struct Unreadable: Error, CustomStringConvertible {
        public let description: String
    }

    public static func read() throws -> CPUTimes {
        let text = try String(contentsOfFile: "/proc/stat", encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else {
            throw Unreadable(description: "/proc/stat has no 'cpu' line")
        }
        let columns = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard columns.count >= 8 else { throw Unreadable(description: "/proc/stat: short 'cpu' line: \(line)") }
        // guest and guest_nice (9th, 10th) are already inside user and nice.
        return CPUTimes(total: columns.prefix(8).reduce(0, +), stolen: columns[7])
    }

    /// The share (0…1) of the time since `earlier` that the host stole.
    public func stolenShare(since earlier: CPUTimes) -> Double {
        let elapsed = total &- earlier.total
        return elapsed == 0 ? 0 : Double(stolen &- earlier.stolen) / Double(elapsed)
    }
}
