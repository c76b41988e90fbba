/// Why a pattern was rejected, and where.
///
/// `offset` counts Unicode scalars from the start of the pattern, matching how the
/// parser walks it, so a caller can point a caret at the offending spot.
public struct PatternError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "invalid regular expression at offset \(offset): \(message)" }
}
