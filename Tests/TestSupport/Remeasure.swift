/// How a traffic test repeats a measurement that missed its target: the one rule the traffic suites share.
///
/// A veth pair's speed is the CPU's, and this machine's host takes CPU time away in bursts. Every measurement
/// records the share of CPU time the host stole while it ran. An attempt that holds ends the test at once; one
/// that misses is measured again in a fresh setup, once. A third attempt is granted only when both misses ran
/// while the host stole at least `stealExcuse` of the CPU. The last attempt must hold: a shaper that misses the
/// rate on a quiet machine fails, and one that misses while the host is busy fails after three tries.
public struct Remeasure<Measurement> {
    /// The measurements taken, first to last, each with the share (0…1) of CPU time the host stole meanwhile.
    public private(set) var attempts: [(measurement: Measurement, stolen: Double)] = []

    /// The share of stolen CPU time above which a second miss earns a third attempt.
    public static var stealExcuse: Double { 0.02 }

    /// The measurement to judge: the last one taken.
    public var last: Measurement { attempts[attempts.count - 1].measurement }

    /// Measures with `measure` until `holds` accepts one, or the rule above says stop; `log` gets one line per
    /// attempt after the first, naming the steal of the ones that missed. `cpu` reads the CPU time counters
    /// around each attempt (`/proc/stat`; nil when unreadable, which counts as no steal).
    public init(_ measure: () throws -> Measurement, holds: (Measurement) -> Bool, log: (String) -> Void = { print($0) },
                cpu: () -> CPUTimes? = { try? CPUTimes.read() }) rethrows {
        while true {
            let clock0 = cpu()
            let measurement = try measure()
            let stolen = cpu().flatMap { now in clock0.map { now.stolenShare(since: $0) } } ?? 0
            attempts.append((measurement, stolen))
            if holds(measurement) || !mayRepeat { return }
            let steal = attempts.map { String(format: "%.1f %%", $0.stolen * 100) }.joined(separator: ", ")
            log("attempt \(attempts.count) missed (CPU stolen by the host: \(steal)); measuring attempt \(attempts.count + 1)")
        }
    }

    /// Whether the misses so far allow another attempt.
    private var mayRepeat: Bool {
        switch attempts.count {
        case 1: true
        case 2: attempts.allSatisfy { $0.stolen >= Self.stealExcuse }
        default: false
        }
    }
}
