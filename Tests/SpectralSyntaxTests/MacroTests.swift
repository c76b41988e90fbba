import Testing
@testable import SpectralSyntax

@Suite struct MacroTests {
    @Test func has() {
        #expect(sexpr("has(m.f)") == "(has m f)")
        #expect(sexpr("has(a.b.c)") == "(has (. a b) c)")
        #expect(sexpr("has(m.f)", macros: false) == "(has (. m f))")
        #expect(parseError("has(m)")?.message.hasPrefix("invalid argument to has() macro") == true)
        #expect(parseError("has(m['f'])")?.message.hasPrefix("invalid argument to has() macro") == true)
        #expect(sexpr("has(a, b)") == "(has a b)") // wrong arity: a plain call
        #expect(sexpr("x.has(m.f)") == "(.has x (. m f))")
    }

    @Test(arguments: [
        ("l.all(x, x > 0)",
         "(all x l @result true (@not_strictly_false @result) (_&&_ @result (_>_ x 0)) @result)"),
        ("l.exists(x, x > 0)",
         "(exists x l @result false (@not_strictly_false (!_ @result)) (_||_ @result (_>_ x 0)) @result)"),
        ("l.exists_one(x, x > 0)",
         "(exists_one x l @result 0 true (_?_:_ (_>_ x 0) (_+_ @result 1) @result) (_==_ @result 1))"),
        ("l.map(x, x * 2)",
         "(map x l @result [] true (_+_ @result [(_*_ x 2)]) @result)"),
        ("l.map(x, x > 0, x * 2)",
         "(map_filter x l @result [] true (_?_:_ (_>_ x 0) (_+_ @result [(_*_ x 2)]) @result) @result)"),
        ("l.filter(x, x > 0)",
         "(filter x l @result [] true (_?_:_ (_>_ x 0) (_+_ @result [x]) @result) @result)"),
        ("[1].all(x, [2].exists(y, x < y))",
         "(all x [1] @result true (@not_strictly_false @result) (_&&_ @result (exists y [2] @result false (@not_strictly_false (!_ @result)) (_||_ @result (_<_ x y)) @result)) @result)"),
    ])
    func expansion(source: String, expected: String) throws {
        #expect(sexpr(source) == expected)
        let expr = try Parser.parse(source)
        guard case .comprehension(let fold) = expr.kind else { Issue.record("not expanded"); return }
        #expect(fold.accuVar == accumulatorName)
        #expect(expr.span == SourceSpan(0..<source.utf8.count))
    }

    @Test func notMacros() {
        #expect(sexpr("x.all(1)") == "(.all x 1)")
        #expect(sexpr("all(x, p)") == "(all x p)")
        #expect(sexpr("l.map(x, y, z, w)") == "(.map l x y z w)")
        #expect(sexpr("l.all(x, x > 0)", macros: false) == "(.all l x (_>_ x 0))")
        #expect(parseError("l.all(x.y, true)")?.message == "the first argument of all() must be a simple variable name")
        #expect(parseError("l.map(1, 2)")?.message == "the first argument of map() must be a simple variable name")
    }
}

@Suite struct ReservedWordTests {
    static let reserved = ["as", "break", "const", "continue", "else", "for", "function", "if", "import",
                           "let", "loop", "package", "namespace", "return", "var", "void", "while"]

    @Test(arguments: reserved)
    func reservedAsIdentifier(word: String) {
        #expect(parseError(word)?.message == "reserved identifier '\(word)'")
        #expect(parseError("\(word)(1)")?.message == "reserved identifier '\(word)'")
        #expect(parseError("1 + .\(word)")?.message == "reserved identifier '\(word)'")
    }

    @Test(arguments: reserved)
    func reservedAsFieldOrMethod(word: String) {
        #expect(sexpr("{'\(word)': 1}.\(word)") == "(. {\"\(word)\": 1} \(word))")
        #expect(sexpr("a.\(word)() || true") == "(_||_ (.\(word) a) true)")
    }

    @Test func keywords() {
        #expect(sexpr("x in y") == "(@in x y)")
        #expect(parseError("a.true") != nil)
        #expect(parseError("in")?.message == "unexpected token 'in'")
        #expect(sexpr("asx + variable + iff") == "(_+_ (_+_ asx variable) iff)")
    }
}
