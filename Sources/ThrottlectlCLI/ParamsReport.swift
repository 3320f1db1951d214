import ThrottlePolicy
import TokenBucket
import TrafficControl

/// How `throttlectl params` prints parameters: aligned text for people, JSON for scripts.
enum ParamsReport {
    /// The burst as time at the TBF's rate, in µs.
    static func burstMicroseconds(_ p: TBFParameters) -> Double {
        1_000_000 * Double(p.burst) / Double(max(p.rate.bytesPerSecond, 1))
    }

    static func text(_ p: TBFParameters, device: String, sizing: String? = nil) -> String {
        var rows: [(String, String)] = [
            ("qdisc", "tbf (\(p.mode.rawValue) mode)"),
            ("rate", "\(p.rate.bytesPerSecond) B/s (\(p.request.bitsPerSecond) bit/s)"
                + (p.rate.needs64BitAttribute ? ", sent as TCA_TBF_RATE64" : "")),
            ("burst", "\(p.burst) bytes (\(formatMicroseconds(burstMicroseconds(p))) at the rate), sent as "
                + "TCA_TBF_BURST"),
            ("buffer", "\(p.bufferTicks) ticks sent; the kernel keeps \(p.kernelBufferTicks) ticks"),
            ("limit", "\(p.limit) bytes (at most \(formatMicroseconds(p.worstCaseQueueMicroseconds)) of queue at the "
                + "rate; tc's latency \(formatMicroseconds(p.latencyMicroseconds)))"),
        ]
        if let peak = p.peak, let bucket = p.peakBurst, let ticks = p.peakTicks, let kernelTicks = p.kernelPeakTicks {
            rows.append(("peakrate", "\(peak.bytesPerSecond) B/s"))
            rows.append(("mtu", "\(bucket) bytes, \(ticks) ticks sent; the kernel keeps \(kernelTicks) ticks"))
        }
        rows.append(("effective burst", "\(p.effectiveBurst) bytes (one frame is \(p.frameBytes) bytes)"))
        if let sizing { rows.insert(("bucket sizing", sizing), at: 1) }
        return render(rows, notes: p.notes, warnings: p.warnings, commands: [TcCommandLine.tbf(p, device: device)])
    }

    static func text(_ p: HTBClassParameters, device: String) -> String {
        var rows: [(String, String)] = [
            ("qdisc", "htb class (\(p.mode.rawValue) mode)"),
            ("rate", "\(p.rate.bytesPerSecond) B/s" + (p.rate.needs64BitAttribute ? ", sent as TCA_HTB_RATE64" : "")),
            ("ceil", "\(p.ceil.bytesPerSecond) B/s" + (p.ceil.needs64BitAttribute ? ", sent as TCA_HTB_CEIL64" : "")),
            ("burst", "\(p.burst) bytes → \(p.bufferTicks) ticks → the kernel's bucket holds \(p.effectiveBurst) bytes"),
            ("cburst", "\(p.cburst) bytes → \(p.cbufferTicks) ticks → the kernel's bucket holds \(p.effectiveCburst) bytes"),
            ("quantum", p.quantum == 0 ? "not sent; the kernel uses \(p.kernelQuantum)" : "\(p.quantum) bytes, sent explicitly"),
        ]
        if let clamp = p.quantumClamp { rows.append(("quantum clamp", clamp)) }
        rows.append(("frame", "\(p.frameBytes) bytes"))
        return render(rows, notes: p.notes, warnings: p.warnings, commands: TcCommandLine.htb(p, device: device))
    }

    private static func render(_ rows: [(String, String)], notes: [String], warnings: [String], commands: [String]) -> String {
        let width = rows.map(\.0.count).max()! + 2
        var lines = rows.map { $0.0.padding(width) + $0.1 }
        lines += notes.map { "note: \($0)" }
        lines += warnings.map { "warning: \($0)" }
        lines += commands.map { "tc: \($0)" }
        return lines.joined(separator: "\n")
    }

    static func json(_ p: TBFParameters, device: String, sizing: BucketSizingChoice? = nil) -> String {
        var members: [(String, JSONValue)] = [
            ("qdisc", .string("tbf")), ("mode", .string(p.mode.rawValue)),
            ("rateBytesPerSecond", .integer(p.rate.bytesPerSecond)), ("rate64", .bool(p.rate.needs64BitAttribute)),
            ("burst", .integer(UInt64(p.burst))), ("bufferTicks", .integer(UInt64(p.bufferTicks))),
            ("kernelBufferTicks", .integer(UInt64(p.kernelBufferTicks))), ("limit", .integer(UInt64(p.limit))),
            ("latencyMicroseconds", .number(p.latencyMicroseconds)),
            ("worstCaseQueueMicroseconds", .number(p.worstCaseQueueMicroseconds)),
            ("effectiveBurst", .integer(p.effectiveBurst)), ("frameBytes", .integer(UInt64(p.frameBytes))),
            ("burstMicroseconds", .number(burstMicroseconds(p))),
        ]
        if let sizing {
            members.append(("bucketSizing", .string(sizing.sizing.rawValue)))
            members.append(("sizedForBitsPerSecond", .integer(sizing.sizedFor)))
        }
        if let peak = p.peak, let bucket = p.peakBurst, let ticks = p.peakTicks, let kernelTicks = p.kernelPeakTicks {
            members += [("peakBytesPerSecond", .integer(peak.bytesPerSecond)), ("mtu", .integer(UInt64(bucket))),
                        ("mtuTicks", .integer(UInt64(ticks))), ("kernelMtuTicks", .integer(UInt64(kernelTicks)))]
        }
        members += [("warnings", .array(p.warnings.map(JSONValue.string))), ("notes", .array(p.notes.map(JSONValue.string))),
                    ("tc", .array([.string(TcCommandLine.tbf(p, device: device))]))]
        return JSONValue.object(members).rendered()
    }

    static func json(_ p: HTBClassParameters, device: String) -> String {
        JSONValue.object([
            ("qdisc", .string("htb")), ("mode", .string(p.mode.rawValue)),
            ("rateBytesPerSecond", .integer(p.rate.bytesPerSecond)), ("rate64", .bool(p.rate.needs64BitAttribute)),
            ("ceilBytesPerSecond", .integer(p.ceil.bytesPerSecond)), ("ceil64", .bool(p.ceil.needs64BitAttribute)),
            ("burst", .integer(UInt64(p.burst))), ("bufferTicks", .integer(UInt64(p.bufferTicks))),
            ("effectiveBurst", .integer(p.effectiveBurst)),
            ("cburst", .integer(UInt64(p.cburst))), ("cbufferTicks", .integer(UInt64(p.cbufferTicks))),
            ("effectiveCburst", .integer(p.effectiveCburst)),
            ("quantum", .integer(UInt64(p.quantum))), ("kernelQuantum", .integer(UInt64(p.kernelQuantum))),
            ("quantumClamp", p.quantumClamp.map(JSONValue.string) ?? .null), ("frameBytes", .integer(UInt64(p.frameBytes))),
            ("warnings", .array(p.warnings.map(JSONValue.string))), ("notes", .array(p.notes.map(JSONValue.string))),
            ("tc", .array(TcCommandLine.htb(p, device: device).map(JSONValue.string))),
        ]).rendered()
    }

    static func formatMicroseconds(_ value: Double) -> String {
        value >= 1000 ? "\((value / 1000 * 100).rounded() / 100) ms" : "\((value * 100).rounded() / 100) µs"
    }
}

/// The bucket sizing `params` computed with, and the rate the burst and limit are those of.
struct BucketSizingChoice {
    var sizing: BucketSizing
    var sizedFor: UInt64

    var text: String {
        switch sizing {
        case .perWindow: return "per-window (burst and limit for the rate itself)"
        case .fastestWindow: return "fastest-window (burst and limit of \(sizedFor) bit/s, the fastest rate)"
        }
    }
}
