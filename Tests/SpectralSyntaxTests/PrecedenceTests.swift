import Testing
@testable import SpectralSyntax

@Suite struct PrecedenceTests {
    @Test(arguments: [
        ("1 + 2 * 3", "(_+_ 1 (_*_ 2 3))"),
        ("(1 + 2) * 3", "(_*_ (_+_ 1 2) 3)"),
        ("1 - 2 - 3", "(_-_ (_-_ 1 2) 3)"),
        ("8 / 4 % 3 * 2", "(_*_ (_%_ (_/_ 8 4) 3) 2)"),
        ("a || b && c", "(_||_ a (_&&_ b c))"),
        ("a && b || c && d", "(_||_ (_&&_ a b) (_&&_ c d))"),
        ("a < b == c", "(_==_ (_<_ a b) c)"),
        ("x in [1, 2] && y", "(_&&_ (@in x [1 2]) y)"),
        ("a <= b != c >= d > e", "(_>_ (_>=_ (_!=_ (_<=_ a b) c) d) e)"),
        ("a + b < c * d", "(_<_ (_+_ a b) (_*_ c d))"),
        ("a ? b : c ? d : e", "(_?_:_ a b (_?_:_ c d e))"),
        ("a || b ? c && d : e", "(_?_:_ (_||_ a b) (_&&_ c d) e)"),
        ("(a ? b : c) ? d : e", "(_?_:_ (_?_:_ a b c) d e)"),
        ("!a && -b < c", "(_&&_ (!_ a) (_<_ (-_ b) c))"),
        ("!!a", "(!_ (!_ a))"),
        ("-x.y", "(-_ (. x y))"),
        ("!a.b(c)[0]", "(!_ (_[_] (.b a c) 0))"),
        ("a.b.c", "(. (. a b) c)"),
        (".a.b", "(. .a b)"),
        ("f(a, b).g()", "(.g (f a b))"),
        (".f(1)", "(.f 1)"),
        ("a[b][c]", "(_[_] (_[_] a b) c)"),
        ("{1: 'a', 'b': [x,]}[1]", "(_[_] {1: \"a\", \"b\": [x]} 1)"),
        ("{}", "{}"),
        ("[]", "[]"),
        ("a.as() || a.if", "(_||_ (.as a) (. a if))"),
        ("m.`content-type`", "(. m content-type)"),
        ("a || b || c || d", "(_||_ (_||_ a b) (_||_ c d))"),
        ("a && b && c", "(_&&_ a (_&&_ b c))"),
    ])
    func shape(source: String, expected: String) {
        #expect(sexpr(source) == expected, "\(source)")
    }

    @Test func negativeLiteralsFold() {
        #expect(sexpr("-1") == "-1")
        #expect(sexpr("- 2.5") == "-2.5")
        #expect(sexpr("--5") == "(-_ -5)")
        #expect(sexpr("-(5)") == "(-_ 5)")
        #expect(sexpr("-5u") == "(-_ 5u)")
        #expect(sexpr("1 - -1") == "(_-_ 1 -1)")
        #expect(sexpr("!-1") == "(!_ -1)")
    }

    @Test func idsAreUniqueAndSpansCoverText() throws {
        let source = "a.f(b, [1, {2: 3}]) + x[0]"
        let expr = try Parser.parse(source)
        var ids: [Int] = []
        func walk(_ e: Expr) {
            ids.append(e.id)
            #expect(e.span.start >= 0 && e.span.end <= Int32(source.utf8.count) && e.span.start < e.span.end)
            switch e.kind {
            case .select(let operand, _, _): walk(operand)
            case .call(_, let target, let args): target.map(walk); args.forEach(walk)
            case .list(let elements): elements.forEach(walk)
            case .map(let entries): entries.forEach { ids.append($0.id); walk($0.key); walk($0.value) }
            case .comprehension, .literal, .ident: break
            }
        }
        walk(expr)
        #expect(Set(ids).count == ids.count)
        #expect(expr.span == SourceSpan(0..<26))
        guard case .call("_+_", nil, let args) = expr.kind else { Issue.record("not a +"); return }
        #expect(args[0].span == SourceSpan(0..<19)) // the call spans target to ')'
        #expect(args[1].span == SourceSpan(22..<26))
    }
}
