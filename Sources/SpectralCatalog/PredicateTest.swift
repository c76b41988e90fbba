import Spectral
import SpectralJSON

/// One attached test of a predicate: an input (a JSON object of variable bindings) and the
/// decision it must produce.
public struct PredicateTest: Sendable, Equatable {
    public var name: String?
    public var input: JSONValue
    public var expect: JSONValue

    public init(name: String? = nil, input: JSONValue, expect: JSONValue) {
        self.name = name
        self.input = input
        self.expect = expect
    }

    /// `{"input": {...}, "expect": ..., "name"?: "..."}`.
    public init(json: JSONValue) throws(PredicateDefinitionError) {
        guard let members = json.objectValue else { throw PredicateDefinitionError("a test must be a JSON object") }
        try PredicateDefinitionError.refuseUnknown(members.map(\.0), in: "a test", expected: ["name", "input", "expect"])
        guard let input = json["input"], input.objectValue != nil else {
            throw PredicateDefinitionError("a test needs \"input\", a JSON object of variable bindings")
        }
        guard let expect = json["expect"] else { throw PredicateDefinitionError("a test needs \"expect\", the expected decision") }
        if let name = json["name"], name.stringValue == nil { throw PredicateDefinitionError("a test's \"name\" must be a string") }
        self.init(name: json["name"]?.stringValue, input: input, expect: expect)
    }

    public var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = []
        if let name { members.append(("name", .string(name))) }
        members.append(("input", input))
        members.append(("expect", expect))
        return .object(members)
    }

    /// A JSON array of tests, as stored and as submitted.
    public static func list(json: JSONValue) throws(PredicateDefinitionError) -> [PredicateTest] {
        guard let items = json.arrayValue else { throw PredicateDefinitionError("\"tests\" must be a JSON array") }
        var tests: [PredicateTest] = []
        for (index, item) in items.enumerated() {
            do { tests.append(try PredicateTest(json: item)) } catch {
                throw PredicateDefinitionError("test \(index + 1): \(error.message)")
            }
        }
        return tests
    }

    /// A test's label in diagnostics: its name, or its position.
    func label(index: Int) -> String {
        name.map { "test \(index + 1) (\($0))" } ?? "test \(index + 1)"
    }
}

/// A predicate definition (declarations, tests, payload fields) that is not well formed.
public struct PredicateDefinitionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// The request is well-formed but asks for what cannot be done: a mask pointer that is
    /// a string starting with '/', as the API's schema says, yet not valid RFC 6901, or a
    /// schema mark that cannot be honoured. The HTTP intake answers 422, not 400.
    public var isUnprocessable: Bool
    public init(_ message: String, unprocessable: Bool = false) {
        self.message = message
        isUnprocessable = unprocessable
    }
    public var description: String { message }

    /// Throws for the first key not in `expected`, naming it and the likely intended one.
    static func refuseUnknown(_ keys: [String], in object: String, expected: [String]) throws(PredicateDefinitionError) {
        guard let key = keys.first(where: { !expected.contains($0) }) else { return }
        let suggestion = Suggestion.closest(to: key, in: expected).map { "; did you mean '\($0)'?" } ?? ""
        throw PredicateDefinitionError("unknown field '\(Suggestion.quoted(key))' in \(object)\(suggestion) (fields: \(expected.joined(separator: ", ")))")
    }
}
