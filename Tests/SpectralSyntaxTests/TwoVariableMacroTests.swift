import Testing
@testable import SpectralSyntax

/// The two-variable comprehensions and the `cel.` macros (bind, block) expand as cel-go's do.
@Suite struct TwoVariableMacroTests {
    @Test(arguments: [
        ("m.all(k, v, v > 0)",
         "(all k,v m @result true (@not_strictly_false @result) (_&&_ @result (_>_ v 0)) @result)"),
        ("m.exists(k, v, k == v)",
         "(exists k,v m @result false (@not_strictly_false (!_ @result)) (_||_ @result (_==_ k v)) @result)"),
        ("m.existsOne(k, v, v)",
         "(exists_one k,v m @result 0 true (_?_:_ v (_+_ @result 1) @result) (_==_ @result 1))"),
        ("m.exists_one(k, v, v)",
         "(exists_one k,v m @result 0 true (_?_:_ v (_+_ @result 1) @result) (_==_ @result 1))"),
        ("l.transformList(i, v, v * i)",
         "(transformList i,v l @result [] true (_+_ @result [(_*_ v i)]) @result)"),
        ("l.transformList(i, v, i > 0, v)",
         "(transformList_filter i,v l @result [] true (_?_:_ (_>_ i 0) (_+_ @result [v]) @result) @result)"),
        ("m.transformMap(k, v, v + 1)",
         "(transformMap k,v m @result {} true (cel.@mapInsert @result k (_+_ v 1)) @result)"),
        ("m.transformMap(k, v, v > 0, v)",
         "(transformMap_filter k,v m @result {} true (_?_:_ (_>_ v 0) (cel.@mapInsert @result k v) @result) @result)"),
        ("m.transformMapEntry(k, v, {v: k})",
         "(transformMapEntry k,v m @result {} true (cel.@mapInsert @result {v: k}) @result)"),
        ("m.transformMapEntry(k, v, v > 0, {v: k})",
         "(transformMapEntry_filter k,v m @result {} true (_?_:_ (_>_ v 0) (cel.@mapInsert @result {v: k}) @result) @result)"),
        ("l.existsOne(x, x)",
         "(exists_one x l @result 0 true (_?_:_ x (_+_ @result 1) @result) (_==_ @result 1))"),
    ])
    func expansion(source: String, expected: String) {
        #expect(sexpr(source) == expected)
    }

    @Test func variablesMustBeDistinctSimpleNames() {
        #expect(parseError("m.all(k, k, true)")?.message == "the two variables of all() must have different names")
        #expect(parseError("m.transformMap(k.x, v, v)")?.message
                == "the first argument of transformMap() must be a simple variable name")
        #expect(parseError("m.exists(k, 1, true)")?.message
                == "the second argument of exists() must be a simple variable name")
        #expect(parseError("m.transformList(i, .v, v)")?.message
                == "the second argument of transformList() must be a simple variable name")
        // Other argument counts are plain calls.
        #expect(sexpr("m.transformList(i)") == "(.transformList m i)")
        #expect(sexpr("m.transformMap(k, v, w, x, y)") == "(.transformMap m k v w x y)")
        #expect(sexpr("m.all(k, v, true)", macros: false) == "(.all m k v true)")
    }

    @Test func bindAndBlock() {
        #expect(sexpr("cel.bind(x, 1, x + 1)") == "(bind #unused [] x 1 false x (_+_ x 1))")
        #expect(sexpr("cel.block([1, cel.index(0) + 1], cel.index(1))")
                == "(bind #unused [] @index0 1 false @index0 (bind #unused [] @index1 (_+_ @index0 1) false @index1 @index1))")
        #expect(sexpr("[1].map(cel.iterVar(0, 1), cel.iterVar(0, 1))")
                == "(map @it:0:1 [1] @result [] true (_+_ @result [@it:0:1]) @result)")
        #expect(sexpr("cel.accuVar(2, 3)") == "@ac:2:3")
        #expect(parseError("cel.bind(a.b, 1, 2)")?.message == "the first argument of cel.bind() must be a simple variable name")
        #expect(parseError("cel.block(x, 1)")?.message == "the first argument of cel.block() must be a list literal")
        #expect(parseError("cel.index(-1)")?.message == "the arguments of cel.index() must be non-negative int literals")
        #expect(parseError("cel.iterVar(0, x)")?.message == "the arguments of cel.iterVar() must be non-negative int literals")
        // Other names and counts in the `cel` namespace are ordinary calls.
        #expect(sexpr("cel.bind(x, 1)") == "(.bind cel x 1)")
        #expect(sexpr("cel.other(1)") == "(.other cel 1)")
    }
}
