/// The recursive-descent parser behind `Parser.parse`, one method per grammar level of
/// Grammar/cel.ebnf (conditional, or, and, relation, addition, multiplication, unary,
/// member, primary).
///
/// Robustness against hostile input: every construct that nests in the AST (parentheses,
/// sub-expressions, unary operators, member/index suffixes, left-associative operator
/// chains) counts towards `depth`, which is checked against `options.maxDepth` before the
/// recursion goes deeper; so neither this parser nor later recursive passes over the AST
/// can overflow the stack. `||` and `&&` chains are collected iteratively and built as
/// balanced trees (they are associative and commutative in CEL), so thousands of terms
/// only cost a logarithmic depth.
struct ExprParser {
    var lexer: Lexer
    var token: Token
    var nodes = NodeFactory()
    let options: ParserOptions
    var depth = 0

    init(bytes: [UInt8], options: ParserOptions) throws(Diagnostic) {
        self.options = options
        lexer = Lexer(bytes: bytes)
        token = try lexer.next()
    }

    /// The whole input must be one expression.
    mutating func parseRoot() throws(Diagnostic) -> Expr {
        let expr = try parseExpr()
        guard token.kind == .eof else { throw unexpected() }
        return expr
    }

    // MARK: Operator levels

    /// Expr = Or ["?" Or ":" Expr], right-associative.
    mutating func parseExpr() throws(Diagnostic) -> Expr {
        try enter()
        defer { depth -= 1 }
        let condition = try parseOr()
        guard token.kind == .punct(.question) else { return condition }
        try advance()
        let whenTrue = try parseOr()
        try expect(.colon, "in conditional expression")
        let whenFalse = try parseExpr()
        return nodes.call("_?_:_", [condition, whenTrue, whenFalse], condition.span.merged(with: whenFalse.span))
    }

    mutating func parseOr() throws(Diagnostic) -> Expr {
        var terms = [try parseAnd()]
        while token.kind == .punct(.or) {
            try advance()
            terms.append(try parseAnd())
        }
        return balanced(terms[...], "_||_")
    }

    mutating func parseAnd() throws(Diagnostic) -> Expr {
        var terms = [try parseRelation()]
        while token.kind == .punct(.and) {
            try advance()
            terms.append(try parseRelation())
        }
        return balanced(terms[...], "_&&_")
    }

    private mutating func balanced(_ terms: ArraySlice<Expr>, _ function: String) -> Expr {
        guard terms.count > 1, let first = terms.first else { return terms.first ?? nodes.literal(.null, .none) }
        if terms.count == 2, let last = terms.last { return nodes.binary(function, first, last) }
        let middle = terms.startIndex + terms.count / 2
        let left = balanced(terms[..<middle], function)
        let right = balanced(terms[middle...], function)
        return nodes.binary(function, left, right)
    }

    /// Relations are one level in CEL; chains like `a < b == c` group to the left.
    mutating func parseRelation() throws(Diagnostic) -> Expr {
        try leftAssociative(next: { parser throws(Diagnostic) in try parser.parseAddition() }) { kind in
            switch kind {
            case .punct(.less): "_<_"
            case .punct(.lessEqual): "_<=_"
            case .punct(.greater): "_>_"
            case .punct(.greaterEqual): "_>=_"
            case .punct(.equal): "_==_"
            case .punct(.notEqual): "_!=_"
            case .inKeyword: "@in"
            default: nil
            }
        }
    }

    mutating func parseAddition() throws(Diagnostic) -> Expr {
        try leftAssociative(next: { parser throws(Diagnostic) in try parser.parseMultiplication() }) { kind in
            switch kind {
            case .punct(.plus): "_+_"
            case .punct(.minus): "_-_"
            default: nil
            }
        }
    }

    mutating func parseMultiplication() throws(Diagnostic) -> Expr {
        try leftAssociative(next: { parser throws(Diagnostic) in try parser.parseUnary() }) { kind in
            switch kind {
            case .punct(.star): "_*_"
            case .punct(.slash): "_/_"
            case .punct(.percent): "_%_"
            default: nil
            }
        }
    }

    /// Parses `operand (op operand)*` in a loop; each operator adds one level of AST depth.
    private mutating func leftAssociative(next: (inout ExprParser) throws(Diagnostic) -> Expr,
                                          operatorName: (TokenKind) -> String?) throws(Diagnostic) -> Expr {
        var left = try next(&self)
        let savedDepth = depth
        defer { depth = savedDepth }
        while let function = operatorName(token.kind) {
            try enter()
            try advance()
            let right = try next(&self)
            left = nodes.binary(function, left, right)
        }
        return left
    }

    /// Unary = ("!" | "-")* Member. A `-` directly before an int or double literal is
    /// folded into the literal, which is how `-9223372036854775808` stays in range.
    mutating func parseUnary() throws(Diagnostic) -> Expr {
        var operators: [Token] = []
        let savedDepth = depth
        defer { depth = savedDepth }
        while token.kind == .punct(.bang) || token.kind == .punct(.minus) {
            try enter()
            operators.append(token)
            try advance()
        }
        var negatedFrom: Int32?
        if let last = operators.last, last.kind == .punct(.minus), token.kind.isSignableNumber {
            negatedFrom = last.span.start
            operators.removeLast()
        }
        var expr = try parseMember(negatedFrom: negatedFrom)
        for op in operators.reversed() {
            let function = op.kind == .punct(.bang) ? "!_" : "-_"
            expr = nodes.call(function, [expr], op.span.merged(with: expr.span))
        }
        return expr
    }

    // MARK: Helpers

    mutating func advance() throws(Diagnostic) {
        token = try lexer.next()
    }

    /// Counts one level of nesting and fails cleanly past `options.maxDepth`.
    mutating func enter() throws(Diagnostic) {
        depth += 1
        if depth > options.maxDepth {
            throw Diagnostic(.parse, "expression is nested too deeply (the limit is \(options.maxDepth) levels)",
                             at: token.span)
        }
    }

    mutating func expect(_ punct: Punct, _ context: String) throws(Diagnostic) {
        guard token.kind == .punct(punct) else { throw unexpected(expected: "'\(punct.rawValue)' \(context)") }
        try advance()
    }

    /// "unexpected token ')'" or "unexpected end of input", optionally with what was expected.
    func unexpected(expected: String? = nil) -> Diagnostic {
        var message: String
        if token.kind == .eof {
            message = "unexpected end of input"
        } else {
            let range = Int(token.span.start)..<min(Int(token.span.end), Int(token.span.start) + 24)
            let end = token.span.end - token.span.start > 24 ? "..." : ""
            message = "unexpected token '\(String(decoding: lexer.bytes[range], as: UTF8.self))\(end)'"
        }
        if let expected { message += ", expected \(expected)" }
        return Diagnostic(.parse, message, at: token.span)
    }
}

extension TokenKind {
    var isSignableNumber: Bool {
        switch self {
        case .intLit, .doubleLit: true
        default: false
        }
    }
}
