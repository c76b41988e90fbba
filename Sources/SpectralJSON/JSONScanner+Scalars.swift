// Scanning of the scalar tokens (strings, numbers) and error helpers.
// Kept apart from the state machine in JSONReader.swift because this is the
// byte-level hot code.

extension JSONScanner {
    /// Reads a string whose opening quote is at `pos`; leaves `pos` after the closing quote.
    ///
    /// Fast path: a string without escapes is validated in place and turned
    /// into a `String` straight from the byte slice (one copy, no scratch buffer).
    mutating func readString(_ buf: UnsafeBufferPointer<UInt8>) throws(JSONError) -> String {
        let open = pos
        let start = pos + 1
        var i = start
        let end = buf.count
        while true {
            i = buf.firstJSONSpecial(from: i)
            guard i < end else {
                throw JSONError(offset: i, message: "unterminated string starting at byte \(open)")
            }
            let b = buf[i]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                return try readEscapedString(buf, open: open, plainUpTo: i)
            }
            if b < 0x20 {
                throw JSONError(offset: i, message: "unescaped control character \(hex(b)) in string")
            }
            i = b < 0x80 ? i + 1 : try validateUTF8Sequence(buf, at: i)
        }
        guard i - start <= limits.maxStringBytes else {
            throw JSONError(offset: open, message: "string longer than the limit of \(limits.maxStringBytes) bytes")
        }
        pos = i + 1
        return String(decoding: UnsafeBufferPointer(rebasing: buf[start..<i]), as: UTF8.self)
    }

    /// Slow path: the string contains escapes, so it is decoded into `scratch`.
    /// `plainUpTo` is the index of the first backslash; everything before it
    /// (after the opening quote) has already been validated.
    private mutating func readEscapedString(_ buf: UnsafeBufferPointer<UInt8>, open: Int, plainUpTo first: Int) throws(JSONError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buf[(open + 1)..<first]))
        var i = first
        let end = buf.count
        while true {
            // Copy the next run of plain bytes in bulk.
            let runStart = i
            while i < end {
                let b = buf[i]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { break }
                if b < 0x20 {
                    throw JSONError(offset: i, message: "unescaped control character \(hex(b)) in string")
                }
                i = b < 0x80 ? i + 1 : try validateUTF8Sequence(buf, at: i)
            }
            if i > runStart {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<i]))
            }
            guard scratch.count <= limits.maxStringBytes else {
                throw JSONError(offset: open, message: "string longer than the limit of \(limits.maxStringBytes) bytes")
            }
            guard i < end else {
                throw JSONError(offset: i, message: "unterminated string starting at byte \(open)")
            }
            if buf[i] == UInt8(ascii: "\"") { break }
            i = try decodeEscape(buf, at: i)
        }
        pos = i + 1
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Decodes the escape whose backslash is at `i` into `scratch`; returns the index after it.
    private mutating func decodeEscape(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) throws(JSONError) -> Int {
        guard i + 1 < buf.count else {
            throw JSONError(offset: i, message: "unterminated escape sequence in string")
        }
        switch buf[i + 1] {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hex4(buf, at: i + 2, escapeAt: i)
            switch unit {
            case 0xD800...0xDBFF:
                // A high surrogate must be immediately followed by an escaped low surrogate.
                guard i + 7 < buf.count, buf[i + 6] == UInt8(ascii: "\\"), buf[i + 7] == UInt8(ascii: "u") else {
                    throw JSONError(offset: i, message: "lone high surrogate \\u\(hex4Text(unit)) not followed by a low surrogate escape")
                }
                let low = try hex4(buf, at: i + 8, escapeAt: i + 6)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONError(offset: i, message: "high surrogate \\u\(hex4Text(unit)) followed by \\u\(hex4Text(low)), which is not a low surrogate")
                }
                appendUTF8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                return i + 12
            case 0xDC00...0xDFFF:
                throw JSONError(offset: i, message: "lone low surrogate \\u\(hex4Text(unit))")
            default:
                appendUTF8(unit)
                return i + 6
            }
        default:
            throw JSONError(offset: i, message: "invalid escape sequence \(describe(buf, at: i + 1, backslash: true)) in string")
        }
        return i + 2
    }

    /// Four hex digits at `k` as a UTF-16 code unit.
    private func hex4(_ buf: UnsafeBufferPointer<UInt8>, at k: Int, escapeAt: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for j in k..<(k + 4) {
            guard j < buf.count else {
                throw JSONError(offset: escapeAt, message: "expected 4 hex digits after \\u")
            }
            let b = buf[j]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw JSONError(offset: escapeAt, message: "expected 4 hex digits after \\u")
            }
            value = value << 4 | digit
        }
        return value
    }

    private func hex4Text(_ unit: UInt32) -> String {
        let s = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// Appends a Unicode scalar (never a surrogate here) as UTF-8.
    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(truncatingIfNeeded: scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        }
    }

    /// Validates the multi-byte UTF-8 sequence whose lead byte (>= 0x80) is at
    /// `i`, following Unicode Table 3-7 (well-formed byte sequences): rejects
    /// stray continuation bytes, overlong forms, encoded surrogates, values
    /// above U+10FFFF and truncated sequences. Returns the index after it.
    func validateUTF8Sequence(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) throws(JSONError) -> Int {
        let lead = buf[i]
        let length: Int
        // Allowed range of the second byte; later bytes are always 80...BF.
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        var narrowedProblem = ""
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0; narrowedProblem = "overlong UTF-8 encoding"
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F; narrowedProblem = "UTF-8 encoded surrogate"
        case 0xF0: length = 4; low = 0x90; narrowedProblem = "overlong UTF-8 encoding"
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F; narrowedProblem = "UTF-8 sequence above U+10FFFF"
        case 0x80...0xBF:
            throw JSONError(offset: i, message: "invalid UTF-8: unexpected continuation byte \(hex(lead))")
        case 0xC0, 0xC1:
            throw JSONError(offset: i, message: "invalid UTF-8: overlong encoding (lead byte \(hex(lead)))")
        default:
            throw JSONError(offset: i, message: "invalid UTF-8: byte \(hex(lead)) never appears in UTF-8")
        }
        for k in 1..<length {
            guard i + k < buf.count else {
                throw JSONError(offset: i, message: "invalid UTF-8: truncated sequence")
            }
            let b = buf[i + k]
            guard b & 0xC0 == 0x80 else {
                throw JSONError(offset: i, message: "invalid UTF-8: truncated sequence")
            }
            if k == 1 && (b < low || b > high) {
                throw JSONError(offset: i, message: "invalid UTF-8: \(narrowedProblem)")
            }
        }
        return i + length
    }

    /// Reads a number starting at `pos` ('-' or a digit).
    mutating func readNumber(_ buf: UnsafeBufferPointer<UInt8>) throws(JSONError) -> JSONNumber {
        let start = pos
        let end = buf.count
        var i = pos
        func isDigit(_ k: Int) -> Bool { k < end && buf[k] &- UInt8(ascii: "0") < 10 }

        if buf[i] == UInt8(ascii: "-") {
            i += 1
            guard isDigit(i) else { throw JSONError(offset: i, message: "expected a digit after '-'") }
        }
        if buf[i] == UInt8(ascii: "0") {
            i += 1
            if isDigit(i) {
                throw JSONError(offset: start, message: "leading zeros are not allowed in numbers")
            }
        } else {
            while isDigit(i) { i += 1 }
        }
        var isInteger = true
        if i < end && buf[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard isDigit(i) else { throw JSONError(offset: i, message: "expected a digit after '.' in number") }
            while isDigit(i) { i += 1 }
        }
        if i < end && (buf[i] == UInt8(ascii: "e") || buf[i] == UInt8(ascii: "E")) {
            isInteger = false
            i += 1
            if i < end && (buf[i] == UInt8(ascii: "+") || buf[i] == UInt8(ascii: "-")) { i += 1 }
            guard isDigit(i) else { throw JSONError(offset: i, message: "expected a digit in number exponent") }
            while isDigit(i) { i += 1 }
        }
        guard i - start <= limits.maxStringBytes else {
            throw JSONError(offset: start, message: "number longer than the limit of \(limits.maxStringBytes) bytes")
        }
        pos = i
        let text = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<i]), as: UTF8.self)
        return JSONNumber(validatedText: text, isInteger: isInteger)
    }

    /// An error at `pos` saying what was expected and what was found there.
    func unexpected(_ buf: UnsafeBufferPointer<UInt8>, _ expectation: String) -> JSONError {
        JSONError(offset: pos, message: "\(expectation), found \(describe(buf, at: pos, backslash: false))")
    }

    /// Human-readable description of the byte at `k` for error messages.
    func describe(_ buf: UnsafeBufferPointer<UInt8>, at k: Int, backslash: Bool) -> String {
        guard k < buf.count else { return "end of input" }
        let b = buf[k]
        if b >= 0x21 && b < 0x7F {
            return "'" + (backslash ? "\\" : "") + String(UnicodeScalar(b)) + "'"
        }
        return "byte \(hex(b))"
    }

    func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return "0x" + String(decoding: [digits[Int(b >> 4)], digits[Int(b & 0xF)]], as: UTF8.self)
    }
}
