/// The one error type of the time library. CEL only needs to know *that* an
/// evaluation failed, so a message is enough; it is worded for end users.
public struct TimeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    static func range(_ what: String) -> TimeError {
        TimeError("\(what) out of range")
    }
}
