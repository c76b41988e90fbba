import Spectral
import Testing

/// `JSONInput.bindings`: the input convention for numbers, declarations, and malformed input.
@Suite struct JSONInputTests {
    static func bind(_ json: String, _ declarations: [String: CELType] = [:]) throws -> [String: CELValue] {
        try JSONInput.bindings(Array(json.utf8), declarations: declarations)
    }

    struct NumberCase: Sendable, CustomTestStringConvertible {
        var json: String
        var declared: CELType?
        var expected: CELValue
        var testDescription: String { "\(json)\(declared.map { " as \($0)" } ?? "")" }
    }

    static let numberCases: [NumberCase] = [
        NumberCase(json: #"{"a": 1}"#, expected: .int(1)),
        NumberCase(json: #"{"a": -1}"#, expected: .int(-1)),
        NumberCase(json: #"{"a": 0}"#, expected: .int(0)),
        NumberCase(json: #"{"a": -0}"#, expected: .int(0)),
        NumberCase(json: #"{"a": 1.0}"#, expected: .double(1.0)),
        NumberCase(json: #"{"a": 1e3}"#, expected: .double(1000.0)),
        NumberCase(json: #"{"a": 1E3}"#, expected: .double(1000.0)),
        NumberCase(json: #"{"a": 2.5e-1}"#, expected: .double(0.25)),
        NumberCase(json: #"{"a": 9223372036854775807}"#, expected: .int(.max)),
        NumberCase(json: #"{"a": -9223372036854775808}"#, expected: .int(.min)),
        NumberCase(json: #"{"a": 9223372036854775808}"#, expected: .uint(9_223_372_036_854_775_808)),
        NumberCase(json: #"{"a": 18446744073709551615}"#, expected: .uint(.max)),
        NumberCase(json: #"{"a": 18446744073709551616}"#, expected: .double(18_446_744_073_709_551_616.0)),
        NumberCase(json: #"{"a": -9223372036854775809}"#, expected: .double(-9_223_372_036_854_775_809.0)),
        NumberCase(json: #"{"a": 250}"#, declared: .double, expected: .double(250.0)),
        NumberCase(json: #"{"a": -3}"#, declared: .double, expected: .double(-3.0)),
        NumberCase(json: #"{"a": 7}"#, declared: .uint, expected: .uint(7)),
        NumberCase(json: #"{"a": 7}"#, declared: .int, expected: .int(7)),
        NumberCase(json: #"{"a": 1e300}"#, declared: .double, expected: .double(1e300)),
        NumberCase(json: #"{"a": [1, 2.5]}"#, declared: .list(.double), expected: .list([.double(1), .double(2.5)])),
        NumberCase(json: #"{"a": {"x": 1}}"#, declared: .map(.string, .double), expected: .map([(.string("x"), .double(1))])),
        NumberCase(json: #"{"a": [1, 2.5, "s", true, null]}"#, expected: .list([.int(1), .double(2.5), .string("s"), .bool(true), .null])),
    ]

    @Test(arguments: numberCases)
    func numbers(_ c: NumberCase) throws {
        let bindings = try Self.bind(c.json, c.declared.map { ["a": $0] } ?? [:])
        let value = try #require(bindings["a"])
        #expect(value == c.expected)
        // CELValue == treats int 1 and double 1.0 as different cases: check the case itself too.
        switch (value, c.expected) {
        case (.int, .int), (.uint, .uint), (.double, .double), (.list, .list), (.map, .map): break
        default: Issue.record("\(c.json): got \(value), expected \(c.expected)")
        }
    }

    @Test func declaredDoubleIsUsableAsDouble() throws {
        let env = Environment(variables: ["a": .double])
        let program = try compile("a / 2.0", in: env)
        let bindings = try Self.bind(#"{"a": 250}"#, ["a": .double])
        #expect(program.evaluate(bindings).result == .success(.double(125.0)))
    }

    @Test func otherTypes() throws {
        let bindings = try Self.bind(#"""
            {"s": "héllo\n\u00e9\ud83d\ude00", "b": true, "n": null, "t": "2024-01-01T00:00:00Z",
             "d": "1.5s", "raw": "abc", "nested": {"x": [{"y": 1}]}}
            """#, ["t": .timestamp, "d": .duration, "raw": .bytes])
        #expect(bindings["s"] == .string("héllo\né😀"))
        #expect(bindings["b"] == .bool(true))
        #expect(bindings["n"] == .null)
        #expect(bindings["t"] == .timestamp(seconds: 1_704_067_200, nanos: 0))
        #expect(bindings["d"] == .duration(seconds: 1, nanos: 500_000_000))
        #expect(bindings["raw"] == .bytes(Array("abc".utf8)))
        #expect(bindings["nested"] == .map([(.string("x"), .list([.map([(.string("y"), .int(1))])]))]))
        #expect(bindings.count == 7)
    }

    @Test func emptyObjectHasNoBindings() throws {
        #expect(try Self.bind("{}").isEmpty)
        #expect(try Self.bind("  {\n}\n ").isEmpty)
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var json: String
        var declarations: [String: CELType] = [:]
        /// Fragments the error description must contain.
        var fragments: [String]
        var testDescription: String { json }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(json: #"{"a": 1.5}"#, declarations: ["a": .int], fragments: ["a", "int", "1.5"]),
        ErrorCase(json: #"{"a": 1e3}"#, declarations: ["a": .int], fragments: ["a", "int"]),
        ErrorCase(json: #"{"a": -1}"#, declarations: ["a": .uint], fragments: ["a", "uint"]),
        ErrorCase(json: #"{"a": 9223372036854775808}"#, declarations: ["a": .int], fragments: ["a", "int"]),
        ErrorCase(json: #"{"a": "x"}"#, declarations: ["a": .int], fragments: ["a", "int"]),
        ErrorCase(json: #"{"a": 1}"#, declarations: ["a": .string], fragments: ["a", "string"]),
        ErrorCase(json: #"{"a": "yesterday"}"#, declarations: ["a": .timestamp], fragments: ["a", "timestamp"]),
        ErrorCase(json: #"{"a": "1 fortnight"}"#, declarations: ["a": .duration], fragments: ["a", "duration"]),
        ErrorCase(json: #"{"a": [1, "x"]}"#, declarations: ["a": .list(.int)], fragments: ["a[1]", "int"]),
        ErrorCase(json: #"{"a": {"k": {"z": true}}}"#, declarations: ["a": .map(.string, .map(.string, .int))], fragments: ["a.k.z", "int"]),
        ErrorCase(json: #"{"a": 1,}"#, fragments: ["malformed JSON"]),
        ErrorCase(json: #"{"a": }"#, fragments: ["malformed JSON"]),
        ErrorCase(json: #"{"a": 1"#, fragments: ["malformed JSON"]),
        ErrorCase(json: #"{'a': 1}"#, fragments: ["malformed JSON"]),
        ErrorCase(json: #"{"a": 01}"#, fragments: ["malformed JSON"]),
        ErrorCase(json: #"{"a": NaN}"#, fragments: ["malformed JSON"]),
        ErrorCase(json: #"{"a": "\x"}"#, fragments: ["malformed JSON"]),
        ErrorCase(json: #"{"a": 1} {"b": 2}"#, fragments: ["malformed JSON"]),
        ErrorCase(json: "", fragments: ["malformed JSON"]),
        ErrorCase(json: "[1, 2]", fragments: ["JSON object"]),
        ErrorCase(json: "42", fragments: ["JSON object"]),
        ErrorCase(json: #""a""#, fragments: ["JSON object"]),
        ErrorCase(json: "null", fragments: ["JSON object"]),
        // Top-level duplicate keys: see KnownBugTests.topLevelDuplicateKeysAreRejected.
        ErrorCase(json: #"{"u": {"k": 1, "k": 2}}"#, fragments: ["duplicate", "k"]),
    ]

    @Test(arguments: errorCases)
    func errors(_ c: ErrorCase) {
        do {
            let bindings = try JSONInput.bindings(Array(c.json.utf8), declarations: c.declarations)
            Issue.record("\(c.json) was accepted: \(bindings)")
        } catch {
            let message = error.description
            #expect(!message.isEmpty)
            #expect(!message.contains("\n"), "one line: \(message)")
            for fragment in c.fragments {
                #expect(message.contains(fragment), "'\(fragment)' missing from: \(message)")
            }
        }
    }

    @Test func invalidUTF8IsRejected() {
        let bytes: [UInt8] = Array(#"{"a": ""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        #expect(throws: JSONInput.BindingError.self) { _ = try JSONInput.bindings(bytes) }
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        let depth = 100_000
        let json = #"{"a": "# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        #expect(throws: JSONInput.BindingError.self) { _ = try Self.bind(json) }
    }

    @Test func bindingsDriveEvaluation() throws {
        let declarations: [String: CELType] = ["user": .map(.string, .dyn), "limit": .double]
        let program = try compile("user.age >= 18 && user.spend < limit && 'vip' in user.tags",
                                  in: Environment(variables: declarations))
        let yes = try Self.bind(#"{"user": {"age": 20, "spend": 99.5, "tags": ["vip"]}, "limit": 100}"#, declarations)
        let no = try Self.bind(#"{"user": {"age": 17, "spend": 1, "tags": []}, "limit": 100}"#, declarations)
        #expect(program.evaluate(yes).result == .success(.bool(true)))
        #expect(program.evaluate(no).result == .success(.bool(false)))
    }
}
