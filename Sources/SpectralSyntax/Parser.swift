/// Options for `Parser`.
public struct ParserOptions: Sendable {
    /// Expand `has`, `all`, `exists`, `exists_one`, `map`, `filter`; when false they are plain calls.
    public var macros: Bool = true
    /// Nesting limit; deeper source is a parse error, never a stack overflow.
    public var maxDepth: Int = 250
    /// Longest accepted source, in UTF-8 bytes.
    public var maxSourceBytes: Int = 100_000

    public init(macros: Bool = true, maxDepth: Int = 250, maxSourceBytes: Int = 100_000) {
        self.macros = macros
        self.maxDepth = maxDepth
        self.maxSourceBytes = maxSourceBytes
    }
}

/// Parses CEL source text into an `Expr` (see Grammar/cel.ebnf).
/// Throws every syntax error found (at least one) as `ParseFailure`.
public struct ParseFailure: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}

public enum Parser {
    public static func parse(_ source: String, options: ParserOptions = ParserOptions()) throws(ParseFailure) -> Expr {
        fatalError("Parser not implemented yet")
    }
}
