/// Member suffixes (`.f`, `.f(args)`, `[i]`) and primary expressions.
extension ExprParser {
    /// Member = Primary {"." FIELD ["(" Args ")"] | "[" Expr "]"}; each suffix nests one level.
    mutating func parseMember(negatedFrom: Int32?) throws(Diagnostic) -> Expr {
        var expr = try parsePrimary(negatedFrom: negatedFrom)
        let savedDepth = depth
        defer { depth = savedDepth }
        while true {
            switch token.kind {
            case .punct(.dot):
                try enter()
                try advance()
                expr = try parseFieldOrMethod(on: expr)
            case .punct(.leftBracket):
                try enter()
                try advance()
                // `a[?i]`: an optional index, `optional.none()` when `i` is not in `a`.
                let isOptional = token.kind == .punct(.question)
                if isOptional { try advance() }
                let index = try parseExpr()
                let end = token.span.end
                try expect(.rightBracket, "to close the index")
                expr = nodes.call(isOptional ? OptionalSyntax.index : "_[_]", [expr, index],
                                  SourceSpan(start: expr.span.start, end: end))
            case .punct(.leftBrace) where expr.isQualifiedName:
                throw Diagnostic(.parse, "message construction '\(expr.qualifiedName){...}' is not supported",
                                 at: SourceSpan(start: expr.span.start, end: token.span.end))
            default:
                return expr
            }
        }
    }

    /// After `.`: a field name (reserved words allowed) or a method call.
    private mutating func parseFieldOrMethod(on operand: Expr) throws(Diagnostic) -> Expr {
        let name: String
        switch token.kind {
        case .ident(let plain): name = plain
        case .quotedIdent(let quoted):
            // Quoted names are field selections only, never methods.
            let end = token.span.end
            try advance()
            return nodes.make(.select(operand: operand, field: quoted, testOnly: false),
                              SourceSpan(start: operand.span.start, end: end))
        case .punct(.question): return try parseOptionalField(on: operand)
        default: throw unexpected(expected: "a field name after '.'")
        }
        let nameEnd = token.span.end
        try advance()
        guard token.kind == .punct(.leftParen) else {
            return nodes.make(.select(operand: operand, field: name, testOnly: false),
                              SourceSpan(start: operand.span.start, end: nameEnd))
        }
        let (args, end) = try parseArguments()
        return try makeCall(name, target: operand, args: args, span: SourceSpan(start: operand.span.start, end: end))
    }

    /// After `.?`: `a.?f` is `optional.none()` when `a` has no field `f`, else `optional.of(a.f)`.
    private mutating func parseOptionalField(on operand: Expr) throws(Diagnostic) -> Expr {
        try advance()
        let name: String
        switch token.kind {
        case .ident(let plain): name = plain
        case .quotedIdent(let quoted): name = quoted
        default: throw unexpected(expected: "a field name after '.?'")
        }
        let span = SourceSpan(start: operand.span.start, end: token.span.end)
        let field = nodes.literal(.string(name), token.span)
        try advance()
        return nodes.call(OptionalSyntax.select, [operand, field], span)
    }

    /// Dispatches on the first token. Kept tiny (literals and names live in helpers) because
    /// this frame sits on the recursion path of every nesting level.
    mutating func parsePrimary(negatedFrom: Int32?) throws(Diagnostic) -> Expr {
        switch token.kind {
        case .punct(.leftParen): return try parseParenthesized()
        case .punct(.leftBracket): return try parseList()
        case .punct(.leftBrace): return try parseMap()
        default: return try parseLiteralOrName(negatedFrom: negatedFrom)
        }
    }

    private mutating func parseParenthesized() throws(Diagnostic) -> Expr {
        try advance()
        let inner = try parseExpr()
        try expect(.rightParen, "to close '('")
        return inner
    }

    private mutating func parseLiteralOrName(negatedFrom: Int32?) throws(Diagnostic) -> Expr {
        let current = token
        let start = negatedFrom ?? current.span.start
        let span = SourceSpan(start: start, end: current.span.end)
        switch current.kind {
        case .intLit(let magnitude):
            try advance()
            return nodes.literal(.int(try intValue(magnitude, negated: negatedFrom != nil, span: span)), span)
        case .doubleLit(let value):
            try advance()
            return nodes.literal(.double(negatedFrom == nil ? value : -value), span)
        case .uintLit(let value): try advance(); return nodes.literal(.uint(value), span)
        case .stringLit(let value): try advance(); return nodes.literal(.string(value), span)
        case .bytesLit(let value): try advance(); return nodes.literal(.bytes(value), span)
        case .trueKeyword: try advance(); return nodes.literal(.bool(true), span)
        case .falseKeyword: try advance(); return nodes.literal(.bool(false), span)
        case .nullKeyword: try advance(); return nodes.literal(.null, span)
        case .ident(let name):
            try advance()
            return try parseIdentOrCall(name, span: span)
        case .punct(.dot):
            // A leading dot resolves the name from the root scope; it stays in the name.
            try advance()
            guard case .ident(let name) = token.kind else { throw unexpected(expected: "an identifier after '.'") }
            let nameSpan = SourceSpan(start: current.span.start, end: token.span.end)
            try advance()
            return try parseIdentOrCall("." + name, span: nameSpan)
        default:
            throw unexpected()
        }
    }

    private mutating func parseIdentOrCall(_ name: String, span: SourceSpan) throws(Diagnostic) -> Expr {
        let bare = name.hasPrefix(".") ? String(name.dropFirst()) : name
        if ReservedWords.identifiers.contains(bare) {
            throw Diagnostic(.parse, "reserved identifier '\(bare)'", at: span)
        }
        guard token.kind == .punct(.leftParen) else { return nodes.ident(name, span) }
        let (args, end) = try parseArguments()
        return try makeCall(name, target: nil, args: args, span: SourceSpan(start: span.start, end: end))
    }

    /// `(` [Expr {"," Expr}] `)`, the current token being `(`; returns the end of `)`.
    private mutating func parseArguments() throws(Diagnostic) -> ([Expr], Int32) {
        try advance()
        var args: [Expr] = []
        if token.kind != .punct(.rightParen) {
            while true {
                args.append(try parseExpr())
                guard token.kind == .punct(.comma) else { break }
                try advance()
            }
        }
        let end = token.span.end
        try expect(.rightParen, args.isEmpty ? "to close the argument list" : "or ',' in the argument list")
        return (args, end)
    }

    private mutating func makeCall(_ function: String, target: Expr?, args: [Expr],
                                   span: SourceSpan) throws(Diagnostic) -> Expr {
        if options.macros,
           let expanded = try MacroExpander.expand(function: function, target: target, args: args,
                                                   span: span, nodes: &nodes) {
            return expanded
        }
        return nodes.call(function, args, target: target, span)
    }

    /// `[` [Expr {"," Expr} [","]] `]`
    private mutating func parseList() throws(Diagnostic) -> Expr {
        let start = token.span.start
        try advance()
        var elements: [Expr] = []
        while token.kind != .punct(.rightBracket) {
            elements.append(try parseListElement())
            guard token.kind == .punct(.comma) else { break }
            try advance()
        }
        let end = token.span.end
        try expect(.rightBracket, elements.isEmpty ? "to close the list" : "or ',' in the list")
        return nodes.make(.list(elements: elements), SourceSpan(start: start, end: end))
    }

    /// `{` [Expr ":" Expr {"," Expr ":" Expr} [","]] `}`
    private mutating func parseMap() throws(Diagnostic) -> Expr {
        let start = token.span.start
        try advance()
        var entries: [MapEntry] = []
        while token.kind != .punct(.rightBrace) {
            let isOptional = token.kind == .punct(.question)
            if isOptional { try advance() }
            let key = try parseExpr()
            try expect(.colon, "after a map key")
            var value = try parseExpr()
            if isOptional { value = nodes.call(OptionalSyntax.entry, [value], value.span) }
            entries.append(MapEntry(id: nodes.newID(), span: key.span.merged(with: value.span), key: key, value: value))
            guard token.kind == .punct(.comma) else { break }
            try advance()
        }
        let end = token.span.end
        try expect(.rightBrace, entries.isEmpty ? "to close the map" : "or ',' in the map")
        return nodes.make(.map(entries: entries), SourceSpan(start: start, end: end))
    }

    /// Int literals are stored as magnitudes; the sign decides the allowed range.
    private func intValue(_ magnitude: UInt64, negated: Bool, span: SourceSpan) throws(Diagnostic) -> Int64 {
        if !negated, magnitude <= UInt64(Int64.max) { return Int64(magnitude) }
        if negated, magnitude <= UInt64(Int64.max) { return -Int64(magnitude) }
        if negated, magnitude == UInt64(Int64.max) + 1 { return Int64.min }
        throw Diagnostic(.parse, "integer literal out of range", at: span)
    }

    /// A list element, or `?e`: an element present only when the optional `e` has a value.
    private mutating func parseListElement() throws(Diagnostic) -> Expr {
        guard token.kind == .punct(.question) else { return try parseExpr() }
        let start = token.span.start
        try advance()
        let element = try parseExpr()
        return nodes.call(OptionalSyntax.entry, [element], SourceSpan(start: start, end: element.span.end))
    }
}

extension Expr {
    /// `a`, `a.b.c`, `.a.b`: the shape of a type name before `{` in message construction.
    var isQualifiedName: Bool {
        switch kind {
        case .ident: true
        case .select(let operand, _, false): operand.isQualifiedName
        default: false
        }
    }

    var qualifiedName: String {
        switch kind {
        case .ident(let name): name
        case .select(let operand, let field, _): operand.qualifiedName + "." + field
        default: ""
        }
    }
}
