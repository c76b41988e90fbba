import Testing
@testable import SpectralSyntax

@Suite struct DiagnosticTests {
    @Test(arguments: [
        ("1 + )", "unexpected token ')'", 4, 5),
        ("(1 + 2", "unexpected end of input, expected ')' to close '('", 6, 6),
        ("f(1 2)", "unexpected token '2', expected ')' or ',' in the argument list", 4, 5),
        ("[1, 2", "unexpected end of input, expected ']' or ',' in the list", 5, 5),
        ("{1 2}", "unexpected token '2', expected ':' after a map key", 3, 4),
        ("a ? b", "unexpected end of input, expected ':' in conditional expression", 5, 5),
        ("a.+b", "unexpected token '+', expected a field name after '.'", 2, 3),
        ("a.1", "unexpected token '.1'", 1, 3), // '.1' lexes as a double, as in cel-spec
        ("1 = 2", "unexpected character '=' (did you mean '=='?)", 2, 3),
        ("a # b", "unexpected character '#'", 2, 3),
        ("x + é", "unexpected character 'é'", 4, 6),
        ("1 2", "unexpected token '2'", 2, 3),
        ("", "unexpected end of input", 0, 0),
        ("'abc' + \"de", "unterminated string literal", 8, 11),
        ("'a\\qb'", "invalid escape sequence '\\q'", 2, 4),
        ("x + var", "reserved identifier 'var'", 4, 7),
        ("x + 9223372036854775808", "integer literal out of range", 4, 23),
        ("pkg.Msg{f: 1}", "message construction 'pkg.Msg{...}' is not supported", 0, 8),
        ("a.?1", "unexpected token '1', expected a field name after '.?'", 3, 4),
    ])
    func messageAndSpan(source: String, message: String, start: Int, end: Int) throws {
        let diagnostic = try #require(parseError(source))
        #expect(diagnostic.message == message)
        #expect(diagnostic.span == SourceSpan(start..<end))
        #expect(diagnostic.stage == .parse)
    }

    @Test func caretRendering() throws {
        let source = "a &&\n  b.f(1 2)"
        let diagnostic = try #require(parseError(source))
        #expect(diagnostic.rendered(in: source) == """
            2:9: error: unexpected token '2', expected ')' or ',' in the argument list
              b.f(1 2)
                    ^
            """)
        let escape = "'ok' + 'bad \\x4g'"
        #expect(try #require(parseError(escape)).rendered(in: escape) == """
            1:13: error: invalid escape sequence '\\x4g'
            'ok' + 'bad \\x4g'
                        ^~~~
            """)
    }
}

@Suite struct LimitTests {
    @Test(arguments: ["(", "!", "-", "[", "{1: ", "f(", "a[", "x ? y : "])
    func deepNestingIsADiagnostic(prefix: String) throws {
        let source = String(repeating: prefix, count: 10_000) + "1"
        let diagnostic = try #require(parseError(source))
        #expect(diagnostic.message == "expression is nested too deeply (the limit is 250 levels)")
    }

    @Test func longMemberChainIsADiagnostic() {
        let source = "a" + String(repeating: ".b", count: 5_000)
        #expect(parseError(source)?.message.hasPrefix("expression is nested too deeply") == true)
        let index = "a" + String(repeating: "[0]", count: 5_000)
        #expect(parseError(index)?.message.hasPrefix("expression is nested too deeply") == true)
    }

    @Test func nestingUpToTheLimitParses() throws {
        // 200 parentheses plus the operators inside stay under the default limit of 250.
        let parens = String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
        #expect(try Parser.parse(parens).debugDescription == "1")
        let nots = String(repeating: "!", count: 200) + "true"
        _ = try Parser.parse(nots)
        let options = ParserOptions(maxDepth: 10)
        #expect(parseError("((((((((((1))))))))))", options: options) != nil)
        #expect(parseError("(((((((((1)))))))))", options: options) == nil)
    }

    @Test func conformanceNestingParses() throws {
        let ternaries = (0..<32).map { _ in "true ? true : " }.joined() + "false"
        _ = try Parser.parse(ternaries)
        let lists = String(repeating: "[", count: 12) + "'foo'" + String(repeating: "]", count: 12)
            + String(repeating: "[0]", count: 12)
        _ = try Parser.parse(lists)
        let calls = String(repeating: "int(uint(", count: 6) + "7" + String(repeating: "))", count: 6)
        _ = try Parser.parse(calls)
    }

    @Test func longLogicalChainsParse() throws {
        let ors = (0..<5_000).map { "x\($0)" }.joined(separator: " || ")
        let expr = try Parser.parse(ors)
        #expect(expr.span == SourceSpan(0..<ors.utf8.count))
        let ands = Array(repeating: "true", count: 5_000).joined(separator: " && ")
        _ = try Parser.parse(ands)
        // Left-associative arithmetic nests one level per operator, like cel-go.
        let sums = Array(repeating: "1", count: 1_000).joined(separator: " + ")
        #expect(parseError(sums)?.message.hasPrefix("expression is nested too deeply") == true)
        _ = try Parser.parse(Array(repeating: "3", count: 100).joined(separator: " - "))
    }

    @Test func sourceSizeLimit() throws {
        let source = String(repeating: "1 + ", count: 10) + "1"
        let diagnostic = try #require(parseError(source, options: ParserOptions(maxSourceBytes: 20)))
        #expect(diagnostic.message == "expression is too long (41 bytes, the limit is 20)")
    }

    @Test func garbageNeverCrashes() {
        // A cheap deterministic fuzz: random byte soup from CEL-ish fragments.
        let fragments = ["(", ")", "[", "]", "{", "}", "'", "\"", "'''", "\\", "\\u", "\\x", "0x", "1", "1.5",
                         "e", "u", ".", ",", ":", "?", "!", "-", "+", "&&", "||", "a", "has", ".all(", "//",
                         "\n", "r'", "b\"", "`", "in", "var", " ", "é", "9223372036854775808"]
        var state: UInt64 = 0x9E3779B97F4A7C15
        for _ in 0..<3_000 {
            var source = ""
            for _ in 0..<Int(state % 24) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                source += fragments[Int((state >> 33) % UInt64(fragments.count))]
            }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            if let diagnostic = parseError(source) {
                #expect(diagnostic.span.start >= 0 && diagnostic.span.start <= diagnostic.span.end)
                #expect(Int(diagnostic.span.end) <= source.utf8.count)
                _ = diagnostic.rendered(in: source)
            }
        }
    }
}
