/// The state machine behind `JSONReader`: all parsing state, operating on a
/// buffer pointer it is handed for each token.
///
/// Keeping the bytes out of this struct lets `JSONReader.next()` borrow its
/// array and mutate the scanner as two disjoint stored properties, so no
/// array retain/release happens per token (measured ~15% of tokenizing time).
struct JSONScanner {
    enum Container { case object, array }

    /// What the next call of `next()` has to read.
    enum State {
        case start              // nothing read yet
        case value              // a value (after ':' of a member)
        case firstArrayElement  // a value or ']' (right after '[')
        case firstObjectMember  // a key or '}' (right after '{')
        case afterValue         // ',' / closing bracket / end of input
        case done               // `.end` already returned
    }

    let limits: JSONLimits
    var pos = 0
    var state = State.start
    var containers: [Container] = []
    /// Reused buffer for decoding strings that contain escapes, so escaped
    /// strings do not allocate a fresh buffer each time.
    var scratch: [UInt8] = []
    var failure: JSONError?
    /// Reads one value and stops there (`JSONReader.init(bytes:valueAt:limits:)`),
    /// rather than requiring the end of the input after it.
    var singleValue = false

    init(limits: JSONLimits) {
        self.limits = limits
    }

    mutating func next(_ buf: UnsafeBufferPointer<UInt8>) throws(JSONError) -> JSONToken {
        if let failure { throw failure }
        do {
            return try step(buf)
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func step(_ buf: UnsafeBufferPointer<UInt8>) throws(JSONError) -> JSONToken {
        switch state {
        case .start:
            guard buf.count <= limits.maxBytes else {
                throw JSONError(offset: limits.maxBytes,
                                message: "input of \(buf.count) bytes is larger than the limit of \(limits.maxBytes) bytes")
            }
            skipWhitespace(buf)
            return try readValue(buf, context: "expected a JSON value")

        case .value:
            skipWhitespace(buf)
            return try readValue(buf, context: "expected a value after ':'")

        case .firstArrayElement:
            skipWhitespace(buf)
            if pos < buf.count && buf[pos] == UInt8(ascii: "]") {
                pos += 1
                return closeContainer()
            }
            return try readValue(buf, context: "expected a value or ']' after '['")

        case .firstObjectMember:
            skipWhitespace(buf)
            if pos < buf.count && buf[pos] == UInt8(ascii: "}") {
                pos += 1
                return closeContainer()
            }
            return try readKey(buf, context: "expected a string key or '}' after '{'")

        case .afterValue:
            skipWhitespace(buf)
            guard let container = containers.last else {
                guard pos == buf.count || singleValue else {
                    throw unexpected(buf, "expected end of input after the top-level value")
                }
                state = .done
                return .end
            }
            let byte: UInt8? = pos < buf.count ? buf[pos] : nil
            switch container {
            case .array:
                if byte == UInt8(ascii: ",") {
                    pos += 1
                    skipWhitespace(buf)
                    return try readValue(buf, context: "expected a value after ',' in array")
                }
                if byte == UInt8(ascii: "]") {
                    pos += 1
                    return closeContainer()
                }
                throw unexpected(buf, "expected ',' or ']' after array element")
            case .object:
                if byte == UInt8(ascii: ",") {
                    pos += 1
                    skipWhitespace(buf)
                    return try readKey(buf, context: "expected a string key after ',' in object")
                }
                if byte == UInt8(ascii: "}") {
                    pos += 1
                    return closeContainer()
                }
                throw unexpected(buf, "expected ',' or '}' after object member")
            }

        case .done:
            return .end
        }
    }

    /// Reads the value starting at `pos` (whitespace already skipped).
    private mutating func readValue(_ buf: UnsafeBufferPointer<UInt8>, context: String) throws(JSONError) -> JSONToken {
        guard pos < buf.count else { throw unexpected(buf, context) }
        switch buf[pos] {
        case UInt8(ascii: "{"):
            try openContainer(.object)
            state = .firstObjectMember
            return .beginObject
        case UInt8(ascii: "["):
            try openContainer(.array)
            state = .firstArrayElement
            return .beginArray
        case UInt8(ascii: "\""):
            let s = try readString(buf)
            state = .afterValue
            return .string(s)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let n = try readNumber(buf)
            state = .afterValue
            return .number(n)
        case UInt8(ascii: "t"):
            try readLiteral(buf, "true")
            state = .afterValue
            return .bool(true)
        case UInt8(ascii: "f"):
            try readLiteral(buf, "false")
            state = .afterValue
            return .bool(false)
        case UInt8(ascii: "n"):
            try readLiteral(buf, "null")
            state = .afterValue
            return .null
        default:
            throw unexpected(buf, context)
        }
    }

    /// Reads `"key"` and the following ':' (whitespace before the key already skipped).
    private mutating func readKey(_ buf: UnsafeBufferPointer<UInt8>, context: String) throws(JSONError) -> JSONToken {
        guard pos < buf.count && buf[pos] == UInt8(ascii: "\"") else { throw unexpected(buf, context) }
        let key = try readString(buf)
        skipWhitespace(buf)
        guard pos < buf.count && buf[pos] == UInt8(ascii: ":") else {
            throw unexpected(buf, "expected ':' after object key")
        }
        pos += 1
        state = .value
        return .key(key)
    }

    private mutating func readLiteral(_ buf: UnsafeBufferPointer<UInt8>, _ word: StaticString) throws(JSONError) {
        let count = word.utf8CodeUnitCount
        let start = word.utf8Start
        for k in 0..<count {
            guard pos + k < buf.count && buf[pos + k] == start[k] else {
                throw JSONError(offset: pos, message: "invalid literal, expected '\(word)'")
            }
        }
        pos += count
    }

    private mutating func openContainer(_ kind: Container) throws(JSONError) {
        guard containers.count < limits.maxDepth else {
            throw JSONError(offset: pos, message: "nesting deeper than \(limits.maxDepth)")
        }
        containers.append(kind)
        pos += 1
    }

    private mutating func closeContainer() -> JSONToken {
        // Only reached from states that imply an open container; popLast keeps
        // even a logic error from trapping.
        let kind = containers.popLast()
        state = .afterValue
        return kind == .object ? .endObject : .endArray
    }

    /// JSON whitespace is exactly space, tab, LF and CR.
    mutating func skipWhitespace(_ buf: UnsafeBufferPointer<UInt8>) {
        var i = pos
        while i < buf.count {
            let b = buf[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { break }
            i += 1
        }
        pos = i
    }
}
