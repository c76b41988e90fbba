import SpectralCompiler
import SpectralSyntax
import Testing

/// The checker against declarations: inferred types, rejected programs, name resolution.
@Suite struct CheckerTests {
    func check(_ source: String, _ variables: [String: CELType] = [:], container: String = "") throws -> CheckedExpr {
        let expr = try Parser.parse(source)
        return try Checker.check(expr, declarations: Declarations(variables: variables, container: container))
    }

    func diagnostics(_ source: String, _ variables: [String: CELType] = [:]) -> [Diagnostic] {
        do {
            _ = try check(source, variables)
            return []
        } catch let failure as CheckFailure {
            return failure.diagnostics
        } catch {
            return [Diagnostic(.parse, "\(error)", at: .none)]
        }
    }

    @Test(arguments: [
        ("1 + 2", CELType.int),
        ("1u * 3u", .uint),
        ("1.5 / 2.0", .double),
        ("'a' + 'b'", .string),
        ("[1, 2][0]", .int),
        ("{'k': 1.5}['k']", .double),
        ("size('abc') > 2", .bool),
        ("[1, 'a']", .list(.dyn)),
        ("[]", .list(.dyn)),
        ("[[], [1]]", .list(.list(.int))),
        ("type(1)", .type(.int)),
        ("timestamp('2024-01-01T00:00:00Z') - duration('1h')", .timestamp),
        ("[1, 2, 3].map(x, dyn(x) * 2.0)", .list(.double)),
        ("[1, 2, 3].map(x, x * 2)", .list(.int)),
        ("[1, 2].exists(x, x > 1)", .bool),
        ("true ? 1 : 2", .int),
        ("true ? 1 : 'a'", .dyn),
    ])
    func infersTypes(_ source: String, _ expected: CELType) throws {
        #expect(try check(source).resultType == expected)
    }

    @Test func declaredVariablesTypeFieldSelection() throws {
        let user = CELType.map(.string, .int)
        #expect(try check("user.age + 1", ["user": user]).resultType == .int)
        #expect(try check("user.age", ["user": .map(.string, .dyn)]).resultType == .dyn)
        #expect(try check("has(user.age)", ["user": user]).resultType == .bool)
    }

    @Test(arguments: [
        ("usr.age", "undeclared reference to 'usr'"),
        ("1 + 'a'", "found no matching overload for '_+_'"),
        ("user.age.startsWith('x')", "found no matching overload for 'startsWith'"),
        ("1 && true", "found no matching overload for '_&&_'"),
        ("'a' ? 1 : 2", "found no matching overload for '_?_:_'"),
        ("nosuchfunction(1)", "undeclared reference to 'nosuchfunction'"),
        ("1.field", "does not support field selection"),
        ("[1, 2].map(x, x * 2.0)", "found no matching overload for '_*_'"),
        ("(1).all(x, x > 0)", "cannot be the range of a comprehension"),
    ])
    func rejects(_ source: String, _ message: String) {
        let found = diagnostics(source, ["user": .map(.string, .int)])
        #expect(found.contains { $0.message.contains(message) }, "\(found)")
        #expect(found.allSatisfy { $0.stage == .check })
    }

    @Test func diagnosticsCarrySpans() {
        let found = diagnostics("1 + usr", ["user": .dyn])
        #expect(found.count == 1)
        #expect(found.first?.span == SourceSpan(start: 4, end: 7))
    }

    @Test func qualifiedNamesResolveToTheLongestDeclaredPrefix() throws {
        let checked = try check("a.b.c", ["a.b": .map(.string, .string), "a.b.c": .int])
        #expect(checked.resultType == .int)
        #expect(checked.references.values.contains(.variable("a.b.c")))
        let shorter = try check("a.b.c", ["a.b": .map(.string, .string)])
        #expect(shorter.resultType == .string)
        #expect(shorter.references.values.contains(.variable("a.b")))
    }

    @Test func containerQualifiesNamesAndLeadingDotEscapesIt() throws {
        let variables: [String: CELType] = ["com.example.y": .bool, "y": .string]
        #expect(try check("y", variables, container: "com.example").resultType == .bool)
        #expect(try check(".y", variables, container: "com.example").resultType == .string)
    }

    @Test func comprehensionVariablesShadowDeclarations() throws {
        let checked = try check("[1].exists(x, x == 1)", ["x": .string])
        #expect(checked.resultType == .bool)
    }

    @Test func namespacedFunctionsResolve() throws {
        let checked = try check("math.greatest(1, 2)")
        #expect(checked.resultType == .int)
        #expect(checked.references.values.contains(.function("math.greatest")))
    }

    @Test func customFunctionsWithTypeParameters() throws {
        let pair = FunctionDecl("pair", [Overload("pair_T", [.param("T"), .param("T")], .list(.param("T")))])
        let expr = try Parser.parse("pair(1, 2)")
        let checked = try Checker.check(expr, declarations: Declarations(functions: [pair]))
        #expect(checked.resultType == .list(.int))
    }

    @Test(arguments: [
        ("int", CELType.int), ("map(string, dyn)", .map(.string, .dyn)), ("list(list(double))", .list(.list(.double))),
        ("timestamp", .timestamp), ("google.protobuf.Duration", .duration), ("type(int)", .type(.int)),
    ])
    func parsesDeclaredTypes(_ text: String, _ expected: CELType) throws {
        #expect(try CELType.parse(text) == expected)
    }

    @Test(arguments: ["map(string)", "list(", "integer", "", "map(string, int) extra"])
    func rejectsMalformedTypes(_ text: String) {
        #expect(throws: TypeSyntaxError.self) { try CELType.parse(text) }
    }
}
