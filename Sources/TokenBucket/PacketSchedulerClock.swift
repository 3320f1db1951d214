/// The kernel's packet-scheduler clock, as `/proc/net/psched` describes it.
///
/// The file holds four hex numbers: nanoseconds per microsecond (1000), nanoseconds per psched tick
/// (64 on every current kernel), the clock resolution tc's `tc_core_init` reads (1000000), and the timer
/// frequency tc's `get_hz` reads (1000000000 on high-resolution-timer kernels). iproute2 converts
/// microseconds to ticks with `tick_in_usec = f1 / f2 × (f3 / 1e6)` = 15.625; the kernel converts ticks to
/// nanoseconds by shifting left by 6 (×64).
public struct PacketSchedulerClock: Hashable, Sendable, CustomStringConvertible {
    /// The four fields, as read.
    public let nanosecondsPerMicrosecond: UInt32
    /// The second field: nanoseconds per psched tick (64).
    public let nanosecondsPerTick: UInt32
    /// The third: the clock resolution (1000000).
    public let clockResolution: UInt32
    /// The fourth: the timer frequency (1000000000).
    public let timerHz: UInt32

    /// What this machine kind's kernels report: `000003e8 00000040 000f4240 3b9aca00`.
    public static let highResolution = PacketSchedulerClock(
        nanosecondsPerMicrosecond: 0x3e8, nanosecondsPerTick: 0x40, clockResolution: 0xf4240, timerHz: 0x3b9a_ca00)

    /// The clock with these four fields.
    public init(nanosecondsPerMicrosecond: UInt32, nanosecondsPerTick: UInt32, clockResolution: UInt32, timerHz: UInt32) {
        self.nanosecondsPerMicrosecond = nanosecondsPerMicrosecond
        self.nanosecondsPerTick = nanosecondsPerTick
        self.clockResolution = clockResolution
        self.timerHz = timerHz
    }

    /// Parses the text of `/proc/net/psched`.
    public init(procNetPsched text: String) throws(TokenBucketError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map { UInt32($0, radix: 16) }
        guard fields.count == 4, let a = fields[0], let b = fields[1], let c = fields[2], let d = fields[3], a > 0, b > 0,
            c > 0
        else {
            throw TokenBucketError(
                "/proc/net/psched does not hold four hex numbers (\"\(text.prefix(60))\"): cannot convert times to "
                    + "kernel ticks")
        }
        self.init(nanosecondsPerMicrosecond: a, nanosecondsPerTick: b, clockResolution: c, timerHz: d)
    }

    /// Reads the clock through `reader` (the file's path in, its text out), so tests can inject values.
    ///
    /// Unlike libnl, which silently assumes one tick per microsecond when the file cannot be read, this
    /// reports the failure.
    public static func read(
        path: String = "/proc/net/psched", using reader: (String) throws -> String
    ) throws(TokenBucketError) -> PacketSchedulerClock {
        let text: String
        do {
            text = try reader(path)
        } catch {
            throw TokenBucketError("cannot read \(path) (\(error)): the packet-scheduler clock is unknown")
        }
        return try PacketSchedulerClock(procNetPsched: text)
    }

    /// iproute2's `tick_in_usec`: ticks per microsecond, as a double (15.625 here).
    public var ticksPerMicrosecond: Double {
        // tc_core_init: "compatibility hack" for kernels that advertise nanosecond resolution as 1e9.
        let t2us = clockResolution == 1_000_000_000 ? nanosecondsPerTick : nanosecondsPerMicrosecond
        let clockFactor = Double(clockResolution) / 1_000_000
        return Double(t2us) / Double(nanosecondsPerTick) * clockFactor
    }

    /// iproute2's `get_hz()`: the fourth field when the third is 1000000, else the compiled-in HZ (100).
    public var hz: UInt64 { clockResolution == 1_000_000 && timerHz > 0 ? UInt64(timerHz) : 100 }

    /// The kernel's PSCHED_TICKS2NS: ticks → nanoseconds.
    public func nanoseconds(ticks: UInt32) -> UInt64 { UInt64(ticks) * UInt64(nanosecondsPerTick) }

    /// The kernel's PSCHED_NS2TICKS: nanoseconds → ticks (rounded down).
    public func ticks(nanoseconds: UInt64) -> UInt64 { nanoseconds / UInt64(nanosecondsPerTick) }

    /// The four fields as `/proc/net/psched` writes them.
    public var description: String {
        func hex(_ value: UInt32) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        }
        return [nanosecondsPerMicrosecond, nanosecondsPerTick, clockResolution, timerHz].map(hex).joined(separator: " ")
    }
}
