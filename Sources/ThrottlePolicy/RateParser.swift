import TokenBucket

/// Reads rates written by people, under one contract that other tools rely on.
///
/// - A plain integer is bits per second (the MARS cmdlet's integer: `524288` = 512×1024).
/// - Bit rates, case-insensitive as in tc: `bit`, `kbit`, `mbit`, `gbit`, `tbit` (×1000) and `kibit`,
///   `mibit`, `gibit`, `tibit` (×1024), optionally followed by `/s`.
/// - Byte rates carry `/s` and a capital `B`: `B/s`, `KB/s`, `MB/s`, `GB/s`, `TB/s` (×1000) and `KiB/s`,
///   `MiB/s`, `GiB/s`, `TiB/s` (×1024). Only the `B` must be a capital (it is what says bytes); the prefix
///   and `/s` are read in any case, as tc reads bit units (`kB/s`, the SI spelling, is `KB/s`).
/// - Decimals are allowed where the result is a whole number of bits per second (`1.5mbit`).
/// - Anything ending in `bps` is refused as ambiguous: tc reads it as bytes, MARS writes it for bits.
public enum RateParser {
    /// The bits per second that `text` denotes, or an error that says how to write it.
    public static func bitsPerSecond(_ text: String) throws(ValueError) -> UInt64 {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw ValueError("a rate is missing: write for example 512kibit or 2mbit") }
        if trimmed.hasPrefix("-") {
            throw ValueError("\"\(text)\" is negative: a rate must be more than zero")
        }
        let number: DecimalText
        let unitText: Substring
        do {
            (number, unitText) = try DecimalText.leadingNumber(of: trimmed)
        } catch {
            throw ValueError(
                "\"\(text)\" is not a rate: \(error.reason); write a number and a unit, for example 512kibit or 2mbit")
        }
        let digits = String(trimmed.unicodeScalars.dropLast(unitText.unicodeScalars.count))
        let unit = String(unitText).trimmingWhitespace()
        let multiplier = try multiplier(forUnit: unit, number: digits, text: text)
        let value = try exactProduct(number: number, multiplier: multiplier, text: text)
        guard value > 0 else { throw ValueError("\"\(text)\" is zero: a rate must be more than zero") }
        return value
    }

    /// Bits per second per unit of `unit`.
    static func multiplier(forUnit unit: String, number: String, text: String) throws(ValueError) -> UInt64 {
        let lowered = unit.lowercased()
        if unit.isEmpty { return 1 }
        if lowered.hasSuffix("bps"), let prefix = knownPrefix(String(lowered.dropLast(3))) {
            let binaryAside =
                prefix.isEmpty || prefix.hasSuffix("i")
                ? "" : " (\(number)\(prefix)ibit counts ×1024, as the MARS cmdlet does)"
            throw ValueError(
                "\"\(text)\" is ambiguous: tc reads \"bps\" as bytes per second, MARS writes it for bits per second; "
                    + "write \(number)\(bitUnit(prefix)) for bits per second\(binaryAside) "
                    + "or \(number)\(byteUnit(prefix)) for bytes per second"
            )
        }
        var body = unit
        let perSecond = lowered.hasSuffix("/s")
        if perSecond { body = String(body.dropLast(2)) }
        let bodyLowered = body.lowercased()
        if bodyLowered.hasSuffix("bit") {
            if let scale = scale(ofPrefix: String(bodyLowered.dropLast(3))) { return scale }
        } else if body.hasSuffix("B"), let prefix = knownPrefix(String(bodyLowered.dropLast(1))) {
            // The capital B is what says bytes; the prefix's case is free (kB/s is SI, KB/s is common).
            if perSecond { return scale(ofPrefix: prefix)! * 8 }
            throw ValueError(
                "\"\(text)\" is a size, not a rate: write \(number)\(byteUnit(prefix)) for bytes per second "
                    + "or \(number)\(bitUnit(prefix)) for bits per second"
            )
        } else if body.hasSuffix("b"), let prefix = knownPrefix(String(bodyLowered.dropLast(1))) {
            throw ValueError(
                "\"\(text)\" is ambiguous (bits or bytes?): write \(number)\(bitUnit(prefix)) for bits "
                    + "per second or \(number)\(byteUnit(prefix)) for bytes per second"
            )
        }
        throw ValueError(
            "\"\(text)\" has an unknown unit \"\(unit)\": use bit, kbit, mbit, gbit, tbit, kibit, mibit, gibit, tibit "
                + "(bits per second) or B/s, KB/s, MB/s, GB/s, TB/s, KiB/s, MiB/s, GiB/s, TiB/s (bytes per second)"
        )
    }

    /// `prefix` (lower case) when it is one of the known ones, such as `k` or `mi`.
    private static func knownPrefix(_ prefix: String) -> String? {
        scale(ofPrefix: prefix) == nil ? nil : prefix
    }

    /// The spelling we suggest for bits per second with `prefix` (lower case): `kbit`, `kibit`, `bit`.
    static func bitUnit(_ prefix: String) -> String { prefix + "bit" }

    /// The spelling we suggest for bytes per second with `prefix` (lower case): `KB/s`, `KiB/s`, `B/s`.
    static func byteUnit(_ prefix: String) -> String {
        let letter = prefix.prefix(1).uppercased()
        return letter + (prefix.hasSuffix("i") ? "i" : "") + "B/s"
    }

    /// ×1000 or ×1024 powers for `k`, `m`, `g`, `t` and `ki`, `mi`, `gi`, `ti` (lower case); 1 for none.
    static func scale(ofPrefix prefix: String) -> UInt64? {
        switch prefix {
        case "": return 1
        case "k": return 1_000
        case "m": return 1_000_000
        case "g": return 1_000_000_000
        case "t": return 1_000_000_000_000
        case "ki": return 1 << 10
        case "mi": return 1 << 20
        case "gi": return 1 << 30
        case "ti": return 1 << 40
        default: return nil
        }
    }

    /// `number × multiplier`, exactly, or an error when it is not whole or does not fit 64 bits.
    static func exactProduct(number: DecimalText, multiplier: UInt64, text: String) throws(ValueError) -> UInt64 {
        do {
            return try number.times(multiplier)
        } catch .tooLarge {
            throw ValueError("\"\(text)\" is too large: throttlectl shapes \(ShapingLimits.ratesText)")
        } catch .notWhole {
            throw ValueError("\"\(text)\" is not a whole number of bits per second")
        } catch {
            throw ValueError("\"\(text)\" is not a rate: it \(error.reason)")
        }
    }
}

/// Renders bit rates for people.
enum RateFormatter {
    static func humanReadable(_ bits: UInt64) -> String {
        var candidates: [String] = []
        let binary: [(String, UInt64)] = [("Tibit/s", 1 << 40), ("Gibit/s", 1 << 30), ("Mibit/s", 1 << 20), ("Kibit/s", 1 << 10)]
        if let (unit, scale) = binary.first(where: { bits >= $0.1 && bits % $0.1 == 0 }) {
            candidates.append("\(bits / scale) \(unit)")
        }
        let decimal: [(String, UInt64)] = [
            ("Tbit/s", 1_000_000_000_000), ("Gbit/s", 1_000_000_000), ("Mbit/s", 1_000_000), ("kbit/s", 1_000),
        ]
        if let (unit, scale) = decimal.first(where: { bits >= $0.1 }) {
            candidates.append("\(decimalString(bits, scale: scale)) \(unit)")
        }
        candidates.append("\(bits) bit/s")
        return candidates.min(by: { $0.count < $1.count })!
    }

    /// `value / scale` with up to three decimals, trailing zeros dropped (rounded down past three).
    private static func decimalString(_ value: UInt64, scale: UInt64) -> String {
        let whole = value / scale
        let thousandths = (value % scale) / (scale / 1000)
        let exact = (value % scale) % (scale / 1000) == 0
        guard thousandths > 0 else { return exact ? "\(whole)" : "\(whole).000…" }
        var fraction = pad(Int(thousandths), 3)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)\(exact ? "" : "…")"
    }
}
