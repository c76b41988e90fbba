import SpectralCatalog
import SpectralJSON

/// Rules every request body shares: unknown members are refused with their name (a typo
/// such as `"imput"` would otherwise be ignored and the predicate decided on nothing), and
/// a version is a positive 32-bit integer, written `3` or `3.0`.
enum RequestFields {
    static func unknown(_ key: String, in request: String, expected: [String], hint: String? = nil) -> APIError {
        var message = "unknown field '\(Suggestion.quoted(key))' in \(request)"
        if let hint {
            message += "; \(hint)"
        } else if let suggestion = Suggestion.closest(to: key, in: expected) {
            message += "; did you mean '\(suggestion)'?"
        }
        message += " (fields: \(expected.joined(separator: ", ")))"
        return APIError(.badRequest, code: "unknown_field", message)
    }

    /// The version a number names, nil when it is not an integer in 1...Int32.max.
    static func version(_ number: JSONNumber) -> Int? {
        if let value = number.int64Value { return version(value) }
        let value = number.doubleValue
        guard value.rounded() == value, value >= 1, value <= Double(Int32.max) else { return nil }
        return Int(value)
    }

    /// The version an integer names, nil outside 1...Int32.max.
    static func version(_ value: Int64) -> Int? {
        value > 0 && value <= Int64(Int32.max) ? Int(value) : nil
    }

    static let versionMessage = "\"version\" must be an integer from 1 to 2147483647"

    /// A body's one object read by `JSONCursor` (the fast reading of a common body): each
    /// member's key is handed to `member`, which reads the value and returns true, or
    /// returns false for a member it does not take. False when anything missed: a member
    /// declined, a value not as expected, or anything but whitespace after the object;
    /// the pull parser then reads the body and words what is wrong.
    @inline(__always)
    static func readObject(_ bytes: [UInt8], limits: JSONLimits,
                           _ member: (UnsafeBufferPointer<UInt8>, inout JSONCursor) throws(JSONCursor.Miss) -> Bool) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(bytes: buffer, limits: limits)
            do throws(JSONCursor.Miss) {
                guard cursor.peek() == UInt8(ascii: "{") else { return false }
                try cursor.enter()
                repeat {
                    guard try member(try cursor.key(), &cursor) else { return false }
                } while try cursor.next(orClose: UInt8(ascii: "}"))
                return cursor.atEnd()
            } catch {
                return false
            }
        }
    }

    /// `predicate` as the pull parser reads it, its key just read.
    static func predicate(_ reader: inout JSONReader) throws -> String {
        guard case .string(let name) = try reader.next() else { throw APIError.malformed("\"predicate\" must be a string") }
        return name
    }

    /// `version` as the pull parser reads it, its key just read: `null` (nil) or a number
    /// the rule above takes.
    static func version(_ reader: inout JSONReader) throws -> Int? {
        switch try reader.next() {
        case .null: return nil
        case .number(let number):
            guard let value = version(number) else { throw APIError.malformed(versionMessage) }
            return value
        default: throw APIError.malformed(versionMessage)
        }
    }

    /// `predicate` as `JSONCursor` reads it (for the cursor's fast reading of a body): a
    /// string with nothing escaped, else a miss, which the pull parser words.
    static func predicate(_ cursor: inout JSONCursor) throws(JSONCursor.Miss) -> String {
        guard cursor.peek() == UInt8(ascii: "\"") else { throw JSONCursor.Miss() }
        return String(decoding: try cursor.string(), as: UTF8.self)
    }

    /// `version` as `JSONCursor` reads it: `null` (nil) or a whole number the rule above
    /// takes, else a miss, which the pull parser words.
    static func version(_ cursor: inout JSONCursor) throws(JSONCursor.Miss) -> Int? {
        switch cursor.peek() ?? 0 {
        case UInt8(ascii: "n"):
            try cursor.literal("null")
            return nil
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            guard let value = try cursor.number().int64.flatMap({ Self.version($0) }) else { throw JSONCursor.Miss() }
            return value
        default: throw JSONCursor.Miss()
        }
    }
}
