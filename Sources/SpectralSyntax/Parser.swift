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

/// Parses CEL source text into an `Expr` (see Sources/SpectralAgent/Grammar/cel.ebnf).
/// Throws every syntax error found (at least one) as `ParseFailure`.
public struct ParseFailure: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}

public enum Parser {
    /// Parses one CEL expression. Stops at the first error (the failure then holds one
    /// diagnostic); the parser does not try to recover, so later errors are not reported.
    public static func parse(_ source: String, options: ParserOptions = ParserOptions()) throws(ParseFailure) -> Expr {
        let bytes = Array(source.utf8)
        guard bytes.count <= options.maxSourceBytes else {
            let span = SourceSpan(start: Int32(clamping: options.maxSourceBytes), end: Int32(clamping: bytes.count))
            throw ParseFailure(diagnostics: [Diagnostic(
                .parse, "expression is too long (\(bytes.count) bytes, the limit is \(options.maxSourceBytes))", at: span)])
        }
        do {
            var parser = try ExprParser(bytes: bytes, options: options)
            return try parser.parseRoot()
        } catch {
            throw ParseFailure(diagnostics: [error])
        }
    }
}
