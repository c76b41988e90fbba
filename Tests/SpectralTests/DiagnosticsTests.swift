import Spectral
import Testing

/// Parse and check errors: stage, message, and the rendered `line:col: error:` + source + caret.
@Suite struct DiagnosticsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var source: String
        /// Expected 1-based line and column of the first diagnostic.
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { source.replacingOccurrences(of: "\n", with: "⏎") }
    }

    static func failure(_ source: String, _ env: Environment = Environment()) -> CompileFailure? {
        do {
            _ = try compile(source, in: env)
            return nil
        } catch {
            return error
        }
    }

    /// Splits rendered output into (header, source line, caret line) for the first diagnostic.
    static func firstBlock(_ rendered: String) -> [String] {
        Array(rendered.split(separator: "\n", omittingEmptySubsequences: false).prefix(3).map(String.init))
    }

    /// The caret's column (1-based, counting characters) on a caret line.
    static func caretColumn(_ caretLine: String) -> Int? {
        guard let index = caretLine.firstIndex(of: "^") else { return nil }
        return caretLine.distance(from: caretLine.startIndex, to: index) + 1
    }

    static let parseCases: [Case] = [
        Case(source: "1 +", line: 1, column: 4, message: "unexpected end of input"),
        Case(source: "'unterminated", line: 1, column: 1, message: "unterminated string"),
        Case(source: "a.b(", line: 1, column: 5, message: "unexpected end of input"),
        Case(source: "(1", line: 1, column: 3, message: "expected ')'"),
        Case(source: "1 +\n  2 +", line: 2, column: 6, message: "unexpected end of input"),
        Case(source: "'é' +", line: 1, column: 6, message: "unexpected end of input"),
        Case(source: "[1, 2", line: 1, column: 6, message: ""),
        Case(source: "1 + * 2", line: 1, column: 5, message: ""),
        Case(source: "x.", line: 1, column: 3, message: ""),
    ]

    @Test(arguments: parseCases)
    func parseErrors(_ c: Case) throws {
        let failure = try #require(Self.failure(c.source))
        #expect(failure.isParseError)
        #expect(failure.diagnostics.first?.stage == .parse)
        let rendered = failure.rendered()
        let block = Self.firstBlock(rendered)
        try #require(block.count == 3, "rendered: \(rendered)")
        #expect(block[0].hasPrefix("\(c.line):\(c.column): error: "), "header: \(block[0])")
        #expect(c.message.isEmpty || block[0].contains(c.message), "header: \(block[0])")
        let sourceLines = c.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(block[1] == sourceLines[c.line - 1])
        #expect(Self.caretColumn(block[2]) == c.column, "caret line: '\(block[2])'")
        #expect(block[2].allSatisfy { $0 == " " || $0 == "^" || $0 == "~" })
        #expect(failure.description == rendered)
    }

    static let userInt = Environment(variables: ["user": .map(.string, .int)])
    static let userDyn = Environment(variables: ["user": .map(.string, .dyn)])

    struct CheckCase: Sendable, CustomTestStringConvertible {
        var source: String
        var dynamicUser: Bool
        var fragments: [String]
        var testDescription: String { source }
    }

    static let checkCases: [CheckCase] = [
        CheckCase(source: "usr.age > 18", dynamicUser: true, fragments: ["undeclared reference", "'usr'"]),
        CheckCase(source: "1 + 'a'", dynamicUser: true, fragments: ["no matching overload", "int", "string"]),
        CheckCase(source: "user.age.startsWith('x')", dynamicUser: false, fragments: ["no matching overload", "startsWith", "int"]),
        CheckCase(source: "1 && true", dynamicUser: true, fragments: ["no matching overload", "&&", "int"]),
        CheckCase(source: "true || 'x'", dynamicUser: true, fragments: ["no matching overload", "||", "string"]),
        CheckCase(source: "foo(1)", dynamicUser: true, fragments: ["undeclared reference", "'foo'"]),
        CheckCase(source: "'x'.bar()", dynamicUser: true, fragments: ["undeclared reference", "'bar'"]),
        CheckCase(source: "size(1)", dynamicUser: true, fragments: ["no matching overload", "size"]),
        CheckCase(source: "user.age ? 1 : 2", dynamicUser: false, fragments: ["int"]),
        CheckCase(source: "[1, 2].map(x, x + 'a')", dynamicUser: true, fragments: ["no matching overload"]),
        CheckCase(source: "user.age == 'x'", dynamicUser: false, fragments: ["no matching overload", "int", "string"]),
        CheckCase(source: "'abc'.matches('[')", dynamicUser: true, fragments: ["invalid regular expression"]),
    ]

    @Test(arguments: checkCases)
    func checkErrors(_ c: CheckCase) throws {
        let failure = try #require(Self.failure(c.source, c.dynamicUser ? Self.userDyn : Self.userInt))
        #expect(!failure.isParseError)
        #expect(!failure.diagnostics.isEmpty)
        #expect(failure.diagnostics.allSatisfy { $0.stage != .parse })
        let rendered = failure.rendered()
        let block = Self.firstBlock(rendered)
        try #require(block.count == 3, "rendered: \(rendered)")
        #expect(block[0].hasPrefix("1:"), "header: \(block[0])")
        #expect(block[0].contains(": error: "))
        #expect(block[1] == c.source)
        let column = try #require(Self.caretColumn(block[2]))
        #expect((1...c.source.count).contains(column))
        for fragment in c.fragments {
            #expect(rendered.contains(fragment), "'\(fragment)' missing from: \(rendered)")
        }
    }

    @Test func undeclaredVariableCaretPointsAtTheName() throws {
        let failure = try #require(Self.failure("user.age > 1 && usr.age < 5", Self.userDyn))
        let block = Self.firstBlock(failure.rendered())
        #expect(block[0].hasPrefix("1:17: error: "), "\(block[0])")
        #expect(Self.caretColumn(block[2]) == 17)
        #expect(block[2].hasSuffix("^~~"), "underline covers 'usr': '\(block[2])'")
    }

    @Test func checkErrorsOnLaterLines() throws {
        let source = "user.age > 1 &&\n  nope == 2"
        let failure = try #require(Self.failure(source, Self.userDyn))
        let block = Self.firstBlock(failure.rendered())
        #expect(block[0].hasPrefix("2:3: error: "), "\(block[0])")
        #expect(block[1] == "  nope == 2")
        #expect(Self.caretColumn(block[2]) == 3)
    }

    @Test func everyUndeclaredNameIsReported() throws {
        let failure = try #require(Self.failure("a + b + c"))
        let rendered = failure.rendered()
        for name in ["'a'", "'b'", "'c'"] {
            #expect(rendered.contains(name), "\(name) missing from: \(rendered)")
        }
        #expect(failure.diagnostics.count >= 3)
    }

    @Test func checkOnlyAPIReportsTheSameErrors() throws {
        do {
            _ = try check("1 + 'a'")
            Issue.record("check should fail")
        } catch {
            #expect(!error.isParseError)
            #expect(error.rendered().contains("no matching overload"))
        }
        let checked = try check("1 + 2")
        #expect(checked.resultType == .int)
    }

    @Test func uncheckedEnvironmentDefersTypeErrorsToRunTime() throws {
        let env = Environment(typeCheck: false)
        let program = try compile("1 + 'a'", in: env)
        guard case .failure(.evaluation(let message)) = program.evaluate().result else {
            Issue.record("expected an evaluation error"); return
        }
        #expect(message.contains("overload"))
        // Unchecked, an undeclared name is an evaluation error, not a compile error.
        let undeclared = try compile("nope + 1", in: env)
        guard case .failure(.evaluation(let why)) = undeclared.evaluate().result else {
            Issue.record("expected an evaluation error for an undeclared name"); return
        }
        #expect(why.contains("nope"))
    }

    @Test func parserLimitsAreParseErrors() throws {
        let deep = String(repeating: "(", count: 400) + "1" + String(repeating: ")", count: 400)
        let failure = try #require(Self.failure(deep))
        #expect(failure.isParseError)
        var options = ParserOptions()
        options.maxSourceBytes = 10
        let long = try #require(Self.failure("1 + 2 + 3 + 4 + 5", Environment(parserOptions: options)))
        #expect(long.isParseError)
    }

    @Test func typeDeclarationSyntaxErrors() throws {
        #expect(throws: TypeSyntaxError.self) { try Environment(declaring: ["x": "map(string"]) }
        #expect(throws: TypeSyntaxError.self) { try Environment(declaring: ["x": "strng"]) }
        let env = try Environment(declaring: ["user": "map(string, dyn)", "n": "list(int)"])
        #expect(env.declarations.variables["user"] == .map(.string, .dyn))
    }
}
