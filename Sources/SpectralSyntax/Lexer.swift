/// Splits CEL source into tokens on demand, so the first error reported is the first
/// one in the text whether it is lexical or syntactic.
///
/// Works on the UTF-8 bytes: every token of the grammar is ASCII, and non-ASCII text
/// can only appear inside string literals and comments.
struct Lexer {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func next() throws(Diagnostic) -> Token {
        skipTrivia()
        let start = position
        guard start < bytes.count else { return Token(kind: .eof, span: SourceSpan(start..<start)) }
        let byte = bytes[start]
        if let prefix = stringPrefix(at: start) {
            return try scanString(start: start, quoteAt: start + prefix.length,
                                  isRaw: prefix.isRaw, isBytes: prefix.isBytes)
        }
        if Self.isIdentifierStart(byte) { return scanIdentifier(start: start) }
        if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && start + 1 < bytes.count && Self.isDigit(bytes[start + 1])) {
            return try scanNumber(start: start)
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            return try scanString(start: start, quoteAt: start, isRaw: false, isBytes: false)
        }
        if byte == UInt8(ascii: "`") { return try scanQuotedIdentifier(start: start) }
        return try scanPunctuation(start: start)
    }

    // MARK: Trivia

    /// Whitespace is `[ \t\n\r\f]`; a comment runs from `//` to the end of the line.
    private mutating func skipTrivia() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0C:
                position += 1
            case UInt8(ascii: "/") where position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "/"):
                while position < bytes.count && bytes[position] != UInt8(ascii: "\n") { position += 1 }
            default:
                return
            }
        }
    }

    // MARK: Identifiers

    private mutating func scanIdentifier(start: Int) -> Token {
        position = start + 1
        while position < bytes.count && Self.isIdentifierPart(bytes[position]) { position += 1 }
        let name = String(decoding: bytes[start..<position], as: UTF8.self)
        let kind: TokenKind
        switch name {
        case "true": kind = .trueKeyword
        case "false": kind = .falseKeyword
        case "null": kind = .nullKeyword
        case "in": kind = .inKeyword
        default: kind = .ident(name)
        }
        return Token(kind: kind, span: SourceSpan(start..<position))
    }

    /// `` `name` ``: letters, digits, `_ . - /` and spaces, as cel-spec allows for field names
    /// that are not identifiers (`` m.`content-type` ``).
    private mutating func scanQuotedIdentifier(start: Int) throws(Diagnostic) -> Token {
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "`") { break }
            guard Self.isIdentifierPart(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: " ") else {
                throw Diagnostic(.parse, "invalid character in quoted identifier", at: SourceSpan(index..<(index + 1)))
            }
            index += 1
        }
        guard index < bytes.count, index > start + 1 else {
            throw Diagnostic(.parse, index < bytes.count ? "empty quoted identifier" : "unterminated quoted identifier",
                             at: SourceSpan(start..<min(index + 1, bytes.count)))
        }
        position = index + 1
        let name = String(decoding: bytes[(start + 1)..<index], as: UTF8.self)
        return Token(kind: .quotedIdent(name), span: SourceSpan(start..<position))
    }

    // MARK: Punctuation

    private mutating func scanPunctuation(start: Int) throws(Diagnostic) -> Token {
        let byte = bytes[start]
        let following: UInt8 = start + 1 < bytes.count ? bytes[start + 1] : 0
        let two: Punct?
        switch (byte, following) {
        case (UInt8(ascii: "<"), UInt8(ascii: "=")): two = .lessEqual
        case (UInt8(ascii: ">"), UInt8(ascii: "=")): two = .greaterEqual
        case (UInt8(ascii: "="), UInt8(ascii: "=")): two = .equal
        case (UInt8(ascii: "!"), UInt8(ascii: "=")): two = .notEqual
        case (UInt8(ascii: "&"), UInt8(ascii: "&")): two = .and
        case (UInt8(ascii: "|"), UInt8(ascii: "|")): two = .or
        default: two = nil
        }
        if let two {
            position = start + 2
            return Token(kind: .punct(two), span: SourceSpan(start..<position))
        }
        if byte < 0x80, let one = Punct(rawValue: String(Character(Unicode.Scalar(byte)))) {
            position = start + 1
            return Token(kind: .punct(one), span: SourceSpan(start..<position))
        }
        let end = StringLiteralDecoder.scalarEnd(bytes[...], from: start)
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        let hint = byte == UInt8(ascii: "=") ? " (did you mean '=='?)" : ""
        throw Diagnostic(.parse, "unexpected character '\(text)'\(hint)", at: SourceSpan(start..<end))
    }

    // MARK: Character classes

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    static func isIdentifierPart(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }
}
