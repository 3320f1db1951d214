/// The `tc` command lines that ask for the same parameters, for people and for comparison (device names
/// shell-quoted).
public enum TcCommandLine {
    /// `tc qdisc replace … tbf …` for `parameters` on `device`.
    public static func tbf(_ parameters: TBFParameters, device: String, handle: String = "7470:") -> String {
        var words = ["tc", "qdisc", "replace", "dev", ShellWord.quoted(device), "root", "handle", handle, "tbf",
                     "rate", "\(parameters.request.bitsPerSecond)bit", "burst", "\(parameters.burst)"]
        if parameters.mode == .tc, case .latency(let microseconds) = parameters.request.queueBound {
            words += ["latency", "\(microseconds)us"]
        } else {
            words += ["limit", "\(parameters.limit)"]
        }
        if let peakBits = parameters.request.peakBitsPerSecond, let bucket = parameters.peakBurst {
            words += ["peakrate", "\(peakBits)bit", "mtu", "\(bucket)"]
        }
        return words.joined(separator: " ")
    }

    /// `tc qdisc replace … htb …` and `tc class replace … htb …` for a root HTB with one default class.
    public static func htb(_ parameters: HTBClassParameters, device: String, handle: String = "7470:",
                           classMinor: String = "1") -> [String] {
        let request = parameters.request
        let qdisc = ["tc", "qdisc", "replace", "dev", ShellWord.quoted(device), "root", "handle", handle, "htb", "default", classMinor,
                     "r2q", "\(request.r2q)"]
        var klass = ["tc", "class", "replace", "dev", ShellWord.quoted(device), "parent", handle, "classid", "\(handle)\(classMinor)", "htb",
                     "rate", "\(request.bitsPerSecond)bit", "ceil", "\(request.ceilBitsPerSecond ?? request.bitsPerSecond)bit"]
        switch parameters.mode {
        case .tc:
            if let burst = request.burst { klass += ["burst", "\(burst)"] }
            if let cburst = request.cburst { klass += ["cburst", "\(cburst)"] }
            if let mtu = request.mtu { klass += ["mtu", "\(mtu)"] }
        case .safe:
            klass += ["burst", "\(parameters.burst)", "cburst", "\(parameters.cburst)"]
        }
        if parameters.quantum > 0 { klass += ["quantum", "\(parameters.quantum)"] }
        return [qdisc.joined(separator: " "), klass.joined(separator: " ")]
    }
}
