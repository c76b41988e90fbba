/// The recursive-descent parser behind `Parser.parse`, one method per grammar level of
/// Sources/SpectralAgent/Grammar/cel.ebnf (conditional, or, and, then relation/addition/multiplication by
/// precedence climbing, unary, member, primary).
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
        var terms = [try parseBinary(minPrecedence: 1)]
        while token.kind == .punct(.and) {
            try advance()
            terms.append(try parseBinary(minPrecedence: 1))
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

    /// Relation, Addition and Multiplication by precedence climbing: one loop per call,
    /// recursing only for a right operand of higher precedence (at most two levels), so
    /// long chains are iterative and each nesting level costs few stack frames. All three
    /// levels are left-associative (relations are one level in CEL: `a < b == c` is
    /// `(a < b) == c`); each operator adds one level of AST depth.
    mutating func parseBinary(minPrecedence: Int) throws(Diagnostic) -> Expr {
        var left = try parseUnary()
        let savedDepth = depth
        defer { depth = savedDepth }
        while let (function, precedence) = Self.binaryOperator(token.kind), precedence >= minPrecedence {
            try enter()
            try advance()
            let right = try parseBinary(minPrecedence: precedence + 1)
            left = nodes.binary(function, left, right)
        }
        return left
    }

    static func binaryOperator(_ kind: TokenKind) -> (String, Int)? {
        switch kind {
        case .punct(.less): ("_<_", 1)
        case .punct(.lessEqual): ("_<=_", 1)
        case .punct(.greater): ("_>_", 1)
        case .punct(.greaterEqual): ("_>=_", 1)
        case .punct(.equal): ("_==_", 1)
        case .punct(.notEqual): ("_!=_", 1)
        case .inKeyword: ("@in", 1)
        case .punct(.plus): ("_+_", 2)
        case .punct(.minus): ("_-_", 2)
        case .punct(.star): ("_*_", 3)
        case .punct(.slash): ("_/_", 3)
        case .punct(.percent): ("_%_", 3)
        default: nil
        }
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
