import SpectralSyntax

extension Evaluation {
    /// Where the failure arose, for a person reading the source: `at 1:10 in 'user.age'`
    /// (the expression's text, shortened past 60 characters), or `at 1:10` without
    /// `quotingSource` (for callers who may not read the source); nil without a span.
    public func failureLocation(in source: String, quotingSource: Bool = true) -> String? {
        guard let span = failureSpan else { return nil }
        let bytes = Array(source.utf8)
        guard span.upperBound <= bytes.count else { return nil }
        let location = SourceLocation.of(offset: span.lowerBound, in: source)
        guard quotingSource else { return "at \(location.line):\(location.column)" }
        var text = String(decoding: bytes[span], as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " ")
        if text.count > 60 { text = String(text.prefix(57)) + "..." }
        return "at \(location.line):\(location.column) in '\(text)'"
    }
}
