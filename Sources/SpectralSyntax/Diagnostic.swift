/// An error found in source text, located by a span. `rendered(in:)` prints it as the
/// Swift compiler does: `line:column: error: message`, the source line, and a caret.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Stage: String, Sendable { case parse, check, compile }

    public var stage: Stage
    public var message: String
    public var span: SourceSpan

    public init(_ stage: Stage, _ message: String, at span: SourceSpan) {
        self.stage = stage
        self.message = message
        self.span = span
    }

    public var description: String { "\(stage) error: \(message)" }

    /// `1:9: error: undeclared reference to 'usr'` followed by the source line and a caret line.
    public func rendered(in source: String) -> String {
        let location = SourceLocation.of(offset: Int(max(span.start, 0)), in: source)
        var out = "\(location.line):\(location.column): error: \(message)"
        if span.start >= 0 {
            let width = max(1, min(Int(span.end - span.start), location.lineText.utf8.count - (location.column - 1)))
            out += "\n" + location.lineText
            out += "\n" + String(repeating: " ", count: location.caretPadding) + "^"
                + String(repeating: "~", count: max(0, width - 1))
        }
        return out
    }
}

/// Line and column (1-based; the column counts Unicode scalars) of a byte offset.
public struct SourceLocation: Sendable {
    public var line: Int
    public var column: Int
    public var lineText: String
    /// Spaces before the caret: the column minus one, tabs kept as tabs would misalign,
    /// so this counts scalars on the line before the offset.
    public var caretPadding: Int

    public static func of(offset: Int, in source: String) -> SourceLocation {
        let bytes = Array(source.utf8)
        let offset = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<offset where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        var lineEnd = lineStart
        while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        let before = String(decoding: bytes[lineStart..<offset], as: UTF8.self)
        let text = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        let column = before.unicodeScalars.count + 1
        return SourceLocation(line: line, column: column, lineText: text, caretPadding: column - 1)
    }
}
