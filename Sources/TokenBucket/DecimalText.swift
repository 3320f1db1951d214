/// A non-negative decimal number as people write it before a unit (`1.5` in `1.5mbit`), read exactly.
///
/// The one reader of numbers for rates, sizes and durations, so that every quantity accepts and refuses the
/// same spellings: ASCII digits with at most one `.` between digits (`0.5`, not `.5` or `5.`), no sign, no
/// exponent (`1e9`), no hexadecimal (`0x10`), no other scripts' digits (`٣`) or vulgar fractions (`½`).
public struct DecimalText: Hashable, Sendable {
    /// Why a text is not a number this reader accepts, or why its value cannot be used.
    public enum Problem: Error, Hashable, Sendable {
        /// Not a decimal number at all; the text says what is wrong with it (`"an exponent"`).
        case notANumber(String)
        /// More decimal places than ``maximumDecimalPlaces``.
        case tooManyDecimalPlaces
        /// The value times the unit does not fit 64 bits.
        case tooLarge
        /// The value times the unit is not a whole number.
        case notWhole
    }

    /// The most digits after the point that are read (10¹⁸ still fits 64 bits).
    public static let maximumDecimalPlaces = 18

    /// The digits before the point, leading zeros removed.
    public let integerDigits: Substring
    /// The digits after the point, trailing zeros removed.
    public let fractionDigits: Substring

    /// Splits `text` (already trimmed) into its leading number and the rest (the unit, untrimmed).
    /// - Throws: ``Problem/notANumber(_:)`` when the text does not start with a well-formed decimal number.
    public static func leadingNumber(of text: String) throws(Problem) -> (number: DecimalText, unit: Substring) {
        let scalars = text.unicodeScalars
        guard let first = scalars.first else { throw .notANumber("it is empty") }
        if first == "-" { throw .notANumber("it is negative") }
        if first == "+" { throw .notANumber("it has a sign") }
        if first == "." {
            // YAML's .inf and .nan are words, not a number missing its 0.
            let second = scalars.dropFirst().first
            guard let second, second.isASCIIDigit else { throw .notANumber("it is not a number") }
            throw .notANumber("it starts with a point (write 0.5, not .5)")
        }
        if !first.isASCIIDigit {
            if first.properties.numericType != nil {
                throw .notANumber("\"\(first)\" is not one of the digits 0–9")
            }
            throw .notANumber("it does not start with a digit")
        }
        let numberEnd = scalars.firstIndex { !$0.isASCIIDigit && $0 != "." } ?? scalars.endIndex
        let number = Substring(scalars[scalars.startIndex..<numberEnd])
        let rest = Substring(scalars[numberEnd...])
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .notANumber("it has more than one decimal point") }
        if parts.count == 2, parts[1].isEmpty { throw .notANumber("it ends with a point (write 5 or 5.0, not 5.)") }
        if let next = rest.unicodeScalars.first {
            if next.properties.numericType != nil {
                throw .notANumber("\"\(next)\" is not one of the digits 0–9")
            }
            if number == "0", next == "x" || next == "X" { throw .notANumber("hexadecimal is not accepted") }
            if number == "0", next == "o" || next == "O" {
                throw .notANumber("it is not a number (octal is not accepted)")
            }
            if next == "e" || next == "E", let after = rest.unicodeScalars.dropFirst().first,
                after.isASCIIDigit || after == "-" || after == "+"
            {
                throw .notANumber("exponents are not accepted (write the digits out)")
            }
            if next == ",", let after = rest.unicodeScalars.dropFirst().first, after.isASCIIDigit {
                throw .notANumber("the decimal separator is a point, not a comma")
            }
        }
        let integer = parts[0].drop(while: { $0 == "0" })
        var fraction = parts.count == 2 ? parts[1] : ""
        while fraction.last == "0" { fraction.removeLast() }
        return (DecimalText(integerDigits: integer, fractionDigits: fraction), rest)
    }

    /// `self × scale`, exactly.
    /// - Throws: ``Problem/tooManyDecimalPlaces``, ``Problem/tooLarge`` or ``Problem/notWhole``.
    public func times(_ scale: UInt64) throws(Problem) -> UInt64 {
        guard fractionDigits.count <= Self.maximumDecimalPlaces else { throw .tooManyDecimalPlaces }
        guard integerDigits.count <= 20, let whole = UInt64(integerDigits.isEmpty ? "0" : String(integerDigits)) else {
            throw .tooLarge
        }
        let (wholePart, overflow) = whole.multipliedReportingOverflow(by: scale)
        guard !overflow else { throw .tooLarge }
        guard !fractionDigits.isEmpty else { return wholePart }
        var divisor: UInt64 = 1
        for _ in 0..<fractionDigits.count { divisor *= 10 }
        // fraction < divisor, so fraction × scale / divisor < scale: the quotient fits 64 bits.
        let fraction = UInt64(String(fractionDigits))!
        let (quotient, remainder) = divisor.dividingFullWidth(fraction.multipliedFullWidth(by: scale))
        guard remainder == 0 else { throw .notWhole }
        let (sum, sumOverflow) = wholePart.addingReportingOverflow(quotient)
        guard !sumOverflow else { throw .tooLarge }
        return sum
    }
}

extension Unicode.Scalar {
    /// `0` … `9`.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
