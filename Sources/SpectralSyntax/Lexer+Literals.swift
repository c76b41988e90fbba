/// Numeric and string literal scanning.
extension Lexer {
    // MARK: Numbers

    /// INT: digits or `0x` hex digits; UINT: an INT with a `u`/`U` suffix;
    /// DOUBLE: `digits? . digits exponent?` or `digits exponent` (so `.5` and `1e3` are
    /// doubles, but `1.` is not: it lexes as `1` followed by `.`).
    mutating func scanNumber(start: Int) throws(Diagnostic) -> Token {
        var index = start
        if bytes[index] == UInt8(ascii: "0"), index + 2 < bytes.count,
           bytes[index + 1] | 0x20 == UInt8(ascii: "x"), Self.isHexDigit(bytes[index + 2]) {
            index += 2
            let digitsStart = index
            while index < bytes.count && Self.isHexDigit(bytes[index]) { index += 1 }
            return try integerToken(start: start, digits: digitsStart..<index, radix: 16)
        }
        while index < bytes.count && Self.isDigit(bytes[index]) { index += 1 }
        let integerEnd = index
        var isDouble = false
        if index + 1 < bytes.count && bytes[index] == UInt8(ascii: ".") && Self.isDigit(bytes[index + 1]) {
            isDouble = true
            index += 1
            while index < bytes.count && Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count && bytes[index] | 0x20 == UInt8(ascii: "e") {
            var exponent = index + 1
            if exponent < bytes.count && (bytes[exponent] == UInt8(ascii: "+") || bytes[exponent] == UInt8(ascii: "-")) {
                exponent += 1
            }
            if exponent < bytes.count && Self.isDigit(bytes[exponent]) {
                isDouble = true
                index = exponent
                while index < bytes.count && Self.isDigit(bytes[index]) { index += 1 }
            }
        }
        guard isDouble else { return try integerToken(start: start, digits: start..<integerEnd, radix: 10) }
        position = index
        let span = SourceSpan(start..<index)
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw Diagnostic(.parse, "double literal out of range", at: span)
        }
        return Token(kind: .doubleLit(value), span: span)
    }

    /// Accumulates the magnitude with overflow checks (no Foundation, no String round trip),
    /// then takes an optional `u`/`U` suffix.
    private mutating func integerToken(start: Int, digits: Range<Int>, radix: UInt64) throws(Diagnostic) -> Token {
        var end = digits.upperBound
        let isUnsigned = end < bytes.count && bytes[end] | 0x20 == UInt8(ascii: "u")
        if isUnsigned { end += 1 }
        position = end
        let span = SourceSpan(start..<end)
        var value: UInt64 = 0
        for index in digits {
            let byte = bytes[index]
            let digit = Self.isDigit(byte) ? UInt64(byte - UInt8(ascii: "0")) : UInt64((byte | 0x20) - UInt8(ascii: "a") + 10)
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 {
                throw Diagnostic(.parse, isUnsigned ? "unsigned integer literal out of range" : "integer literal out of range",
                                 at: span)
            }
            value = sum
        }
        return Token(kind: isUnsigned ? .uintLit(value) : .intLit(value), span: span)
    }

    // MARK: Strings

    /// A string prefix is one or two of `r`/`R` (raw) and `b`/`B` (bytes), each at most
    /// once, directly followed by a quote.
    func stringPrefix(at start: Int) -> (length: Int, isRaw: Bool, isBytes: Bool)? {
        var isRaw = false
        var isBytes = false
        var index = start
        while index < bytes.count && index - start < 2 {
            switch bytes[index] | 0x20 {
            case UInt8(ascii: "r") where !isRaw: isRaw = true
            case UInt8(ascii: "b") where !isBytes: isBytes = true
            default:
                return nil
            }
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'")) {
                return (index - start, isRaw, isBytes)
            }
        }
        return nil
    }

    /// Finds the closing quote (single or triple), then decodes the body. In non-raw
    /// literals a backslash hides the next byte from the search, so `'it\'s'` is one string.
    /// Raw single-line literals cannot contain their quote at all, as in cel-spec.
    mutating func scanString(start: Int, quoteAt: Int, isRaw: Bool, isBytes: Bool) throws(Diagnostic) -> Token {
        let quote = bytes[quoteAt]
        let isTriple = quoteAt + 2 < bytes.count && bytes[quoteAt + 1] == quote && bytes[quoteAt + 2] == quote
        let bodyStart = quoteAt + (isTriple ? 3 : 1)
        var index = bodyStart
        var bodyEnd: Int?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") && !isRaw {
                index += 2
                continue
            }
            if byte == quote {
                if !isTriple {
                    bodyEnd = index
                    break
                }
                if index + 2 < bytes.count && bytes[index + 1] == quote && bytes[index + 2] == quote {
                    bodyEnd = index
                    break
                }
            } else if !isTriple && (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")) {
                throw Diagnostic(.parse, "unterminated string literal (a newline is only allowed in ''' or \"\"\" literals)",
                                 at: SourceSpan(start..<index))
            }
            index += 1
        }
        guard let bodyEnd else {
            throw Diagnostic(.parse, "unterminated string literal", at: SourceSpan(start..<bytes.count))
        }
        position = bodyEnd + (isTriple ? 3 : 1)
        let span = SourceSpan(start..<position)
        let value = try StringLiteralDecoder.decode(bytes[bodyStart..<bodyEnd], isBytes: isBytes, isRaw: isRaw)
        if isBytes { return Token(kind: .bytesLit(value), span: span) }
        return Token(kind: .stringLit(String(decoding: value, as: UTF8.self)), span: span)
    }
}
