/// Creates AST nodes with unique, increasing ids (one counter per parse, shared by
/// map entries and by the nodes that macro expansion synthesises).
struct NodeFactory {
    private(set) var nextID = 1

    mutating func newID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    mutating func make(_ kind: Expr.Kind, _ span: SourceSpan) -> Expr {
        Expr(id: newID(), span: span, kind: kind)
    }

    mutating func literal(_ value: Literal, _ span: SourceSpan) -> Expr { make(.literal(value), span) }

    mutating func ident(_ name: String, _ span: SourceSpan) -> Expr { make(.ident(name), span) }

    mutating func call(_ function: String, _ args: [Expr], target: Expr? = nil, _ span: SourceSpan) -> Expr {
        make(.call(function: function, target: target, args: args), span)
    }

    /// A binary operator call spanning both operands.
    mutating func binary(_ function: String, _ left: Expr, _ right: Expr) -> Expr {
        call(function, [left, right], left.span.merged(with: right.span))
    }
}
