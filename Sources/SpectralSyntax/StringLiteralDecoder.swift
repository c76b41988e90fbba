/// Turns the body of a string or bytes literal (the text between the quotes) into its
/// value, processing CEL's escape sequences.
///
/// The body is a slice of the source bytes, so slice indices are source offsets and
/// error spans point at the offending escape. Strings and bytes share the escapes
/// except that `\x` and octal escapes are code points in strings (U+0000...U+00FF, encoded
/// as UTF-8) but raw byte values in bytes, and `\u`/`\U` only exist in strings.
enum StringLiteralDecoder {
    static func decode(_ body: ArraySlice<UInt8>, isBytes: Bool, isRaw: Bool) throws(Diagnostic) -> [UInt8] {
        // Raw literals are taken verbatim; the source is valid UTF-8, so is the result.
        if isRaw { return Array(body) }
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = body.startIndex
        while i < body.endIndex {
            let byte = body[i]
            if byte != UInt8(ascii: "\\") {
                out.append(byte)
                i += 1
                continue
            }
            i = try decodeEscape(body, at: i, isBytes: isBytes, into: &out)
        }
        return out
    }

    /// Decodes the escape starting at the backslash at `start`; returns the index after it.
    private static func decodeEscape(_ body: ArraySlice<UInt8>, at start: Int, isBytes: Bool,
                                     into out: inout [UInt8]) throws(Diagnostic) -> Int {
        guard start + 1 < body.endIndex else {
            throw Diagnostic(.parse, "invalid escape sequence '\\'", at: SourceSpan(start..<(start + 1)))
        }
        let letter = body[start + 1]
        switch letter {
        case UInt8(ascii: "\\"), UInt8(ascii: "?"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
            out.append(letter)
            return start + 2
        case UInt8(ascii: "a"): out.append(0x07); return start + 2
        case UInt8(ascii: "b"): out.append(0x08); return start + 2
        case UInt8(ascii: "f"): out.append(0x0C); return start + 2
        case UInt8(ascii: "n"): out.append(0x0A); return start + 2
        case UInt8(ascii: "r"): out.append(0x0D); return start + 2
        case UInt8(ascii: "t"): out.append(0x09); return start + 2
        case UInt8(ascii: "v"): out.append(0x0B); return start + 2
        case UInt8(ascii: "0")...UInt8(ascii: "3"):
            // Exactly three octal digits, \000 to \377.
            let value = try digits(body, from: start + 1, count: 3, radix: 8, escapeStart: start)
            appendSmall(value, isBytes: isBytes, into: &out)
            return start + 4
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
            let value = try digits(body, from: start + 2, count: 2, radix: 16, escapeStart: start)
            appendSmall(value, isBytes: isBytes, into: &out)
            return start + 4
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = letter == UInt8(ascii: "u") ? 4 : 8
            let end = min(start + 2 + count, body.endIndex)
            if isBytes {
                throw Diagnostic(.parse, "'\\\(Character(Unicode.Scalar(letter)))' escapes are not allowed in bytes literals",
                                 at: SourceSpan(start..<end))
            }
            let value = try digits(body, from: start + 2, count: count, radix: 16, escapeStart: start)
            // Surrogates and values above U+10FFFF are not Unicode scalars.
            guard let scalar = Unicode.Scalar(value) else {
                throw Diagnostic(.parse, "invalid Unicode code point in escape sequence '\(text(body, start..<end))'",
                                 at: SourceSpan(start..<end))
            }
            out.append(contentsOf: scalar.utf8)
            return end
        default:
            let end = scalarEnd(body, from: start + 1)
            throw Diagnostic(.parse, "invalid escape sequence '\(text(body, start..<end))'", at: SourceSpan(start..<end))
        }
    }

    /// Reads `count` digits of `radix` at `from`; the error covers the malformed escape.
    private static func digits(_ body: ArraySlice<UInt8>, from: Int, count: Int, radix: UInt32,
                               escapeStart: Int) throws(Diagnostic) -> UInt32 {
        var value: UInt32 = 0
        for index in from..<(from + count) {
            guard index < body.endIndex, let digit = digitValue(body[index]), digit < radix else {
                let end = index < body.endIndex ? scalarEnd(body, from: index) : body.endIndex
                throw Diagnostic(.parse, "invalid escape sequence '\(text(body, escapeStart..<end))'",
                                 at: SourceSpan(escapeStart..<end))
            }
            value = value * radix + digit
        }
        return value
    }

    /// Values 0...255 from `\x` and octal escapes: a byte in bytes, a code point in strings.
    private static func appendSmall(_ value: UInt32, isBytes: Bool, into out: inout [UInt8]) {
        if isBytes {
            out.append(UInt8(truncatingIfNeeded: value))
        } else if let scalar = Unicode.Scalar(value) {
            out.append(contentsOf: scalar.utf8)
        }
    }

    private static func digitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// End of the UTF-8 scalar starting at `index`, so messages never cut a character.
    static func scalarEnd(_ body: ArraySlice<UInt8>, from index: Int) -> Int {
        var end = index + 1
        while end < body.endIndex && body[end] & 0xC0 == 0x80 { end += 1 }
        return min(end, body.endIndex)
    }

    private static func text(_ body: ArraySlice<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: body[range], as: UTF8.self)
    }
}
