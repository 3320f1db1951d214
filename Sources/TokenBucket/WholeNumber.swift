/// A whole number given on its own (an MTU, a quantum, a divisor), read by the same rules as rates and sizes.
public enum WholeNumber {
    /// The value of `text`, a plain count of `unit` that must fit 32 bits.
    ///
    /// - Parameters:
    ///   - text: what the user wrote (`1500`).
    ///   - unit: what the number counts, for the message (`bytes`); `nil` for a bare number.
    ///   - example: a value to suggest (`1500`).
    public static func parse32(_ text: String, unit: String?, example: String) throws(TokenBucketError) -> UInt32 {
        let what = unit.map { "a number of \($0)" } ?? "a whole number"
        let hint = "write for example \(example)"
        if text.first == "-" { throw TokenBucketError("\"\(text)\" is negative: \(hint)") }
        let number: DecimalText
        let rest: Substring
        do {
            (number, rest) = try DecimalText.leadingNumber(of: text)
        } catch {
            throw TokenBucketError("\"\(text)\" is not \(what): \(error.reason); \(hint)")
        }
        guard rest.isEmpty else {
            throw TokenBucketError(
                "\"\(text)\" is not \(what): \"\(rest)\" follows the digits (no units here); \(hint)")
        }
        let value: UInt64
        do { value = try number.times(1) } catch .notWhole {
            throw TokenBucketError("\"\(text)\" is not \(what): it has a fraction; \(hint)")
        } catch {
            throw TokenBucketError("\"\(text)\" is too large: at most \(UInt32.max)")
        }
        guard let result = UInt32(exactly: value) else {
            throw TokenBucketError("\"\(text)\" is too large: at most \(UInt32.max)")
        }
        return result
    }
}
