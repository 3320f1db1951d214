/// A size in bytes, read from `B`, `KB`, `KiB`, `MB`, `MiB`, `GB`, `GiB`, `TB`, `TiB` (a bare number is bytes).
public enum ByteSize {
    /// The bytes `text` denotes; decimals are allowed where the result is whole (`1.5KB`).
    public static func parse(_ text: String) throws(TokenBucketError) -> UInt64 {
        let trimmed = text.trimmingSpaces()
        let number = trimmed.prefix(while: { $0.isNumber || $0 == "." })
        let unit = String(trimmed.dropFirst(number.count)).trimmingSpaces()
        guard !number.isEmpty, number.filter({ $0 == "." }).count <= 1, number.first != ".", number.last != "." else {
            throw TokenBucketError("\"\(text)\" is not a size: write for example 1514, 32KiB or 1.5MB")
        }
        let scales: [String: UInt64] = [
            "": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000, "t": 1_000_000_000_000,
            "ki": 1 << 10, "mi": 1 << 20, "gi": 1 << 30, "ti": 1 << 40,
        ]
        let scale: UInt64
        if unit.isEmpty {
            scale = 1
        } else if unit.hasSuffix("B"), let known = scales[unit.dropLast().lowercased()] {
            scale = known
        } else if unit.hasSuffix("b") {
            throw TokenBucketError(
                "\"\(text)\" is ambiguous (tc reads \"kb\" as KiB, others read kilobits): write the B in capitals, "
                    + "as in \(number)KB (×1000) or \(number)KiB (×1024)")
        } else {
            throw TokenBucketError("\"\(text)\" has an unknown unit: use B, KB, KiB, MB, MiB, GB, GiB, TB or TiB")
        }
        return try exact(String(number), times: scale, text: text, unit: "bytes")
    }
}

/// A duration read from `us`, `ms` or `s`, in whole microseconds.
public enum Duration {
    /// The microseconds `text` denotes (`50ms`, `1.5ms`, `200us`, `2s`).
    public static func microseconds(_ text: String) throws(TokenBucketError) -> UInt64 {
        let trimmed = text.trimmingSpaces()
        let number = trimmed.prefix(while: { $0.isNumber || $0 == "." })
        let unit = String(trimmed.dropFirst(number.count)).trimmingSpaces().lowercased()
        guard !number.isEmpty, number.filter({ $0 == "." }).count <= 1, number.first != ".", number.last != "." else {
            throw TokenBucketError("\"\(text)\" is not a duration: write for example 50ms, 200us or 1s")
        }
        let scale: UInt64
        switch unit {
        case "us", "µs", "usec": scale = 1
        case "ms", "msec": scale = 1_000
        case "s", "sec": scale = 1_000_000
        case "": throw TokenBucketError("\"\(text)\" needs a unit: us, ms or s")
        default: throw TokenBucketError("\"\(text)\" has an unknown unit: use us, ms or s")
        }
        return try exact(String(number), times: scale, text: text, unit: "microseconds")
    }
}

/// `number × scale` exactly, or an error when it is not whole or does not fit 64 bits.
func exact(_ number: String, times scale: UInt64, text: String, unit: String) throws(TokenBucketError) -> UInt64 {
    let parts = number.split(separator: ".", omittingEmptySubsequences: false)
    let fraction = parts.count == 2 ? String(parts[1]) : ""
    let digits = (String(parts[0]) + fraction).drop(while: { $0 == "0" })
    guard digits.count <= 19, let mantissa = UInt64(digits.isEmpty ? "0" : String(digits)), fraction.count <= 18 else {
        throw TokenBucketError("\"\(text)\" is too large")
    }
    var divisor: UInt64 = 1
    for _ in 0..<fraction.count { divisor *= 10 }
    let wide = mantissa.multipliedFullWidth(by: scale)
    guard wide.high < divisor else { throw TokenBucketError("\"\(text)\" is too large") }
    let (quotient, remainder) = divisor.dividingFullWidth(wide)
    guard remainder == 0 else { throw TokenBucketError("\"\(text)\" is not a whole number of \(unit)") }
    return quotient
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
