/// An input the token-bucket maths cannot turn into parameters the kernel would honour as asked.
public struct TokenBucketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, and what to give instead.
    public var message: String

    /// An error saying `message`.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
