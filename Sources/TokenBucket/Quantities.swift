/// A size in bytes, read from `B`, `KB`, `KiB`, `MB`, `MiB`, `GB`, `GiB`, `TB`, `TiB` (a bare number is bytes).
public enum ByteSize {
    /// The bytes `text` denotes; decimals are allowed where the result is whole (`1.5KB`).
    public static func parse(_ text: String) throws(TokenBucketError) -> UInt64 {
        let hint = "write for example 1514, 32KiB or 1.5MB"
        let trimmed = text.trimmingSpaces()
        let (number, unitText) = try leadingNumber(trimmed, text: text, what: "a size", hint: hint)
        let unit = String(unitText).trimmingSpaces()
        let scales: [String: UInt64] = [
            "": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000, "t": 1_000_000_000_000,
            "ki": 1 << 10, "mi": 1 << 20, "gi": 1 << 30, "ti": 1 << 40,
        ]
        let scale: UInt64
        let digits = trimmed.prefix(trimmed.count - unitText.count)
        if unit.isEmpty {
            scale = 1
        } else if unit.hasSuffix("B"), let known = scales[unit.dropLast().lowercased()] {
            scale = known
        } else if unit.hasSuffix("b") {
            throw TokenBucketError(
                "\"\(text)\" is ambiguous (tc reads \"kb\" as KiB, others read kilobits): write the B in capitals, "
                    + "as in \(digits)KB (×1000) or \(digits)KiB (×1024)")
        } else {
            throw TokenBucketError("\"\(text)\" has an unknown unit: use B, KB, KiB, MB, MiB, GB, GiB, TB or TiB")
        }
        return try product(number, scale, text: text, unit: "bytes")
    }
}

/// A duration read from `us`, `ms` or `s`, in whole microseconds.
public enum Duration {
    /// The microseconds `text` denotes (`50ms`, `1.5ms`, `200us`, `2s`).
    public static func microseconds(_ text: String) throws(TokenBucketError) -> UInt64 {
        let trimmed = text.trimmingSpaces()
        let (number, unitText) = try leadingNumber(
            trimmed, text: text, what: "a duration", hint: "write for example 50ms, 200us or 1s")
        let unit = String(unitText).trimmingSpaces().lowercased()
        let scale: UInt64
        switch unit {
        case "us", "µs", "usec": scale = 1
        case "ms", "msec": scale = 1_000
        case "s", "sec": scale = 1_000_000
        case "": throw TokenBucketError("\"\(text)\" needs a unit: us, ms or s")
        default: throw TokenBucketError("\"\(text)\" has an unknown unit: use us, ms or s")
        }
        return try product(number, scale, text: text, unit: "microseconds")
    }
}

/// The leading number of `trimmed`, or an error that says why `text` is not `what`.
private func leadingNumber(_ trimmed: String, text: String, what: String, hint: String)
    throws(TokenBucketError) -> (DecimalText, Substring)
{
    do {
        return try DecimalText.leadingNumber(of: trimmed)
    } catch {
        throw TokenBucketError("\"\(text)\" is not \(what): \(error.reason); \(hint)")
    }
}

/// `number × scale` exactly, or an error when it is not whole or does not fit 64 bits.
private func product(_ number: DecimalText, _ scale: UInt64, text: String, unit: String) throws(TokenBucketError)
    -> UInt64
{
    do {
        return try number.times(scale)
    } catch .tooLarge {
        throw TokenBucketError("\"\(text)\" is too large: more than 18446744073709551615 \(unit)")
    } catch .notWhole {
        throw TokenBucketError("\"\(text)\" is not a whole number of \(unit)")
    } catch {
        throw TokenBucketError("\"\(text)\" \(error.reason)")
    }
}

extension DecimalText.Problem {
    /// The problem in words, to follow the text it is about.
    public var reason: String {
        switch self {
        case .notANumber(let why): return why
        case .tooManyDecimalPlaces: return "has more than \(DecimalText.maximumDecimalPlaces) decimal places"
        case .tooLarge: return "is too large"
        case .notWhole: return "is not a whole number"
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
