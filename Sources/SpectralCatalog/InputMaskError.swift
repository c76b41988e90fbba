/// A mask that cannot be used, and why: the message names the pointer by its place in the
/// request (`mask[2]`).
public struct InputMaskError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
