/// A half-open range of UTF-8 byte offsets into the source text.
public struct SourceSpan: Hashable, Sendable {
    public var start: Int32
    public var end: Int32

    public init(start: Int32, end: Int32) {
        self.start = start
        self.end = end
    }

    public init(_ range: Range<Int>) {
        self.init(start: Int32(range.lowerBound), end: Int32(range.upperBound))
    }

    public static let none = SourceSpan(start: -1, end: -1)

    /// The smallest span covering both.
    public func merged(with other: SourceSpan) -> SourceSpan {
        if self == .none { return other }
        if other == .none { return self }
        return SourceSpan(start: min(start, other.start), end: max(end, other.end))
    }
}
