/// One lexical token. Numeric literals keep their unsigned magnitude: the sign of a
/// negative literal is a separate `-` token that the parser folds in, which is the only
/// way `-9223372036854775808` (Int64.min) can be written.
struct Token: Sendable {
    var kind: TokenKind
    var span: SourceSpan
}

enum TokenKind: Equatable, Sendable {
    case eof
    /// A plain identifier, reserved words included: whether a reserved word is allowed
    /// depends on where it appears (it is fine as a field name after `.`).
    case ident(String)
    /// A backtick-quoted field name (`` a.`content-type` ``); only valid after `.`.
    case quotedIdent(String)
    /// Magnitude of a decimal or hex int literal; the range check happens in the parser,
    /// once it knows whether a `-` applies.
    case intLit(UInt64)
    case uintLit(UInt64)
    case doubleLit(Double)
    case stringLit(String)
    case bytesLit([UInt8])
    case trueKeyword, falseKeyword, nullKeyword, inKeyword
    case punct(Punct)
}

enum Punct: String, Sendable {
    case dot = ".", comma = ",", colon = ":", question = "?"
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
    case leftBrace = "{", rightBrace = "}"
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", bang = "!"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case equal = "==", notEqual = "!=", and = "&&", or = "||"
}
