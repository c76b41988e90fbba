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
}
