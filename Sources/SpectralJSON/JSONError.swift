/// A JSON syntax or limit violation.
///
/// `offset` is the zero-based byte offset in the input where the problem was
/// detected; `message` says what was expected (without the location, so that
/// callers can build their own wording). `description` joins the two, e.g.
/// "expected ',' or '}' after object member, found 'x' at byte 17".
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) at byte \(offset)" }
}
