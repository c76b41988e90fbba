import SpectralSyntax

extension SourceRange {
    /// The span as byte offsets into a UTF-8 source of `count` bytes; nil when the span is
    /// unknown or reaches outside it.
    public func byteRange(within count: Int) -> Range<Int>? {
        guard start >= 0, end >= start, Int(end) <= count else { return nil }
        return Int(start)..<Int(end)
    }

    /// The source text the span covers (`source` as UTF-8 bytes); empty when unknown.
    public func text(in source: [UInt8]) -> String {
        byteRange(within: source.count).map { String(decoding: source[$0], as: UTF8.self) } ?? ""
    }
}
