import Spectral
import Testing

/// Fuel and memory limits: every evaluation stops, with the right trap, and leaves nothing behind.
@Suite struct LimitsTests {
    static func ints(_ n: Int) -> CELValue { .list((0..<n).map { .int(Int64($0)) }) }

    static func compileList(_ source: String, limits: Limits = Limits(), extra: [String: CELType] = [:]) throws -> Program {
        var variables: [String: CELType] = ["l": .list(.int)]
        variables.merge(extra) { $1 }
        return try compile(source, in: Environment(variables: variables, limits: limits))
    }

    static let nestedComprehensions = [
        "l.map(a, l.map(b, l.map(c, a + b + c))).size() > 0",
        "l.all(a, l.all(b, l.all(c, a + b + c >= 0)))",
        "l.exists(a, l.exists(b, l.exists(c, a + b + c < 0)))",
        "l.filter(a, l.filter(b, l.filter(c, a < b && b < c).size() > 0).size() > 0).size()",
        "l.exists_one(a, l.exists_one(b, l.exists_one(c, a == b && b == c)))",
    ]

    @Test(arguments: nestedComprehensions)
    func nestedComprehensionsRunOutOfFuel(_ source: String) throws {
        let program = try Self.compileList(source)
        let evaluation = program.evaluate(["l": Self.ints(400)])
        #expect(evaluation.result == .failure(.fuelExhausted(limit: Limits().fuel)))
        #expect(evaluation.fuelUsed <= Limits().fuel)
        #expect(evaluation.fuelUsed > 0)
    }

    /// A run given a slice of fuel ends as the whole run does when the slice suffices, and
    /// reports "not enough" (nil) rather than a trap when it does not, so the server can
    /// run it again with the whole fuel; with a slice at or past the limit, running out is
    /// the program's own `fuelExhausted`.
    @Test func aSliceOfFuelEndsAsTheWholeRunOrSaysItWasShort() throws {
        let program = try Self.compileList("l.map(x, x * 2).size()", limits: Limits(fuel: 1_000))
        var machine = program.makeMachine()
        for n in [3, 40, 200] {
            let input = Array(#"{"l": [\#((0..<n).map(String.init).joined(separator: ","))]}"#.utf8)
            let whole = program.evaluate(json: input, on: &machine)
            for budget: UInt64 in [50, 300, 999, 1_000, 5_000] {
                let sliced = program.evaluate(json: input, on: &machine, fuelAtMost: budget)
                if whole.fuelUsed <= min(budget, 1_000), case .success = whole.result {
                    #expect(sliced?.result == whole.result && sliced?.fuelUsed == whole.fuelUsed, "n \(n), budget \(budget)")
                } else if budget < 1_000 {
                    #expect(sliced == nil, "n \(n), budget \(budget): too little fuel is not a verdict")
                } else {
                    #expect(sliced?.result == .failure(.fuelExhausted(limit: 1_000)) && whole.result == sliced?.result, "n \(n)")
                }
            }
        }
        // An input error is a verdict whatever the slice.
        let wrong = program.evaluate(json: Array(#"{"l": "no"}"#.utf8), on: &machine, fuelAtMost: 1)
        #expect(wrong.map { if case .failure(.input) = $0.result { true } else { false } } == true)
    }

    @Test func smallFuelLimitStopsModerateLoop() throws {
        let program = try Self.compileList("l.map(x, x * 2).size()", limits: Limits(fuel: 100))
        let evaluation = program.evaluate(["l": Self.ints(200)])
        #expect(evaluation.result == .failure(.fuelExhausted(limit: 100)))
        #expect(evaluation.fuelUsed <= 100)
        // The same loop over a few elements fits.
        let small = program.evaluate(["l": Self.ints(3)])
        #expect(small.result == .success(.int(3)))
        #expect(small.fuelUsed <= 100)
        #expect(small.fuelUsed > 0)
    }

    @Test func fuelUsedGrowsWithWork() throws {
        let program = try Self.compileList("l.map(x, x * 2).size()")
        let ten = program.evaluate(["l": Self.ints(10)])
        let hundred = program.evaluate(["l": Self.ints(100)])
        #expect(ten.result == .success(.int(10)))
        #expect(hundred.result == .success(.int(100)))
        #expect(hundred.fuelUsed > ten.fuelUsed)
    }

    @Test func tinyFuelLimitStopsEvenConstantWork() throws {
        let program = try compile("[1, 2, 3].map(x, x + 1)", in: Environment(limits: Limits(fuel: 1)))
        let evaluation = program.evaluate()
        #expect(evaluation.result == .failure(.fuelExhausted(limit: 1)))
        #expect(evaluation.fuelUsed <= 1)
    }

    @Test func fuelLimitIsExactBoundary() throws {
        // Whatever a successful run costs, that much fuel suffices and one unit less does not.
        let source = "l.map(x, x * 2).filter(x, x > 3).size()"
        let input: [String: CELValue] = ["l": Self.ints(20)]
        let used = try Self.compileList(source).evaluate(input).fuelUsed
        #expect(used > 0)
        let exact = try Self.compileList(source, limits: Limits(fuel: used)).evaluate(input)
        #expect(exact.result == .success(.int(18)))
        #expect(exact.fuelUsed == used)
        let short = try Self.compileList(source, limits: Limits(fuel: used - 1)).evaluate(input)
        #expect(short.result == .failure(.fuelExhausted(limit: used - 1)))
    }

    // MARK: Memory

    static let bigString = String(repeating: "a", count: 1000)

    /// Predicates that build huge strings or lists.
    static let memoryHogs = [
        "l.map(x, s + s + s + s + s + s + s + s).size() > 0",
        // Repeated doubling through nested maps.
        "[s + s].map(a, [a + a].map(b, [b + b].map(c, [c + c].map(d, [d + d].map(e, [e + e].map(f, [f + f].map(g, [g + g].map(h, [h + h].map(i, [i + i].map(j, [j + j].map(k, [k + k].map(m, [m + m].map(n, size(n + n)))))))))))))).size() == 1",
        "l.map(x, l.map(y, l.map(z, s))).size() > 0",
        "l.map(x, l).map(y, y + y).size() > 0",
    ]

    @Test(arguments: memoryHogs)
    func smallMemoryLimitStopsHugeValues(_ source: String) throws {
        let limits = Limits(fuel: 1 << 40, memory: 64 << 10)
        let program = try Self.compileList(source, limits: limits, extra: ["s": .string])
        let evaluation = program.evaluate(["l": Self.ints(200), "s": .string(Self.bigString)])
        #expect(evaluation.result == .failure(.memoryExhausted(limit: 64 << 10)))
    }

    @Test(arguments: memoryHogs)
    func defaultMemoryLimitStopsHugeValues(_ source: String) throws {
        let limits = Limits(fuel: 1 << 40)
        let program = try Self.compileList(source, limits: limits, extra: ["s": .string])
        let evaluation = program.evaluate(["l": Self.ints(2000), "s": .string(String(repeating: "b", count: 10_000))])
        #expect(evaluation.result == .failure(.memoryExhausted(limit: 8 << 20)))
    }

    @Test func oversizedInputIsMemoryExhausted() throws {
        let program = try compile("size(s)", in: Environment(variables: ["s": .string], limits: Limits(memory: 1024)))
        let evaluation = program.evaluate(["s": .string(String(repeating: "x", count: 10_000))])
        #expect(evaluation.result == .failure(.memoryExhausted(limit: 1024)))
        // A small input fits.
        #expect(program.evaluate(["s": .string("xyz")]).result == .success(.int(3)))
    }

    @Test func constantsAreNotChargedToTheEvaluation() throws {
        let literal = "'" + String(repeating: "k", count: 4096) + "'"
        let program = try compile("size(\(literal))", in: Environment(limits: Limits(memory: 1024)))
        #expect(program.evaluate().result == .success(.int(4096)))
    }

    // MARK: No state leaks between evaluations

    @Test func programEvaluatesAgainAfterFuelTrap() throws {
        let program = try Self.compileList("l.map(x, x + 1).size()", limits: Limits(fuel: 500))
        let trapped = program.evaluate(["l": Self.ints(10_000)])
        #expect(trapped.result == .failure(.fuelExhausted(limit: 500)))
        let after = program.evaluate(["l": Self.ints(5)])
        #expect(after.result == .success(.int(5)))
        let again = program.evaluate(["l": Self.ints(7)])
        #expect(again.result == .success(.int(7)))
    }

    @Test func programEvaluatesAgainAfterMemoryTrap() throws {
        let program = try Self.compileList("l.map(x, s + s).size()", limits: Limits(memory: 64 << 10), extra: ["s": .string])
        let trapped = program.evaluate(["l": Self.ints(200), "s": .string(Self.bigString)])
        #expect(trapped.result == .failure(.memoryExhausted(limit: 64 << 10)))
        let after = program.evaluate(["l": Self.ints(3), "s": .string("ab")])
        #expect(after.result == .success(.int(3)))
    }

    @Test func evaluationsAreIndependent() throws {
        let program = try Self.compileList("l.filter(x, x % 2 == 0).map(x, x * x)")
        let a = program.evaluate(["l": .list([.int(1), .int(2), .int(3), .int(4)])])
        let b = program.evaluate(["l": .list([.int(10), .int(11)])])
        let c = program.evaluate(["l": .list([])])
        let a2 = program.evaluate(["l": .list([.int(1), .int(2), .int(3), .int(4)])])
        #expect(a.result == .success(.list([.int(4), .int(16)])))
        #expect(b.result == .success(.list([.int(100)])))
        #expect(c.result == .success(.list([])))
        #expect(a2.result == a.result)
        #expect(a2.fuelUsed == a.fuelUsed)
    }

    @Test func reusedMachineRecoversFromTrap() throws {
        let program = try compile("l.map(x, x + n).size() + n",
                                  in: Environment(variables: ["l": .list(.int), "n": .int], limits: Limits(fuel: 300)))
        var machine = program.makeMachine()

        func bind(_ count: Int, _ n: Int64) throws {
            machine.beginBinding()
            let list = try machine.heap.makeList((0..<count).map { Value.int(Int64($0)) })
            machine.bind("l", to: list)
            machine.bind("n", to: .int(n))
            machine.endBinding()
        }

        try bind(10_000, 1)
        guard case .trap(.fuelExhausted(300), _) = machine.run().result else {
            Issue.record("expected a fuel trap"); return
        }
        try bind(4, 10)
        let first = machine.run()
        guard case .value(.int(14)) = first.result else { Issue.record("expected 14, got \(first.result)"); return }
        // Running the same bound input again gives the same value and the same fuel.
        let second = machine.run()
        guard case .value(.int(14)) = second.result else { Issue.record("expected 14, got \(second.result)"); return }
        #expect(first.fuelUsed == second.fuelUsed)
    }

    @Test func concurrentEvaluationsOfOneProgram() async throws {
        let program = try Self.compileList("l.map(x, x * 3).filter(x, x % 2 == 0).size()")
        let results = await withTaskGroup(of: (Int, Result<CELValue, EvaluationError>).self) { group in
            for n in 0..<32 {
                group.addTask { (n, program.evaluate(["l": Self.ints(n * 10)]).result) }
            }
            var all: [(Int, Result<CELValue, EvaluationError>)] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 32)
        for (n, result) in results {
            #expect(result == .success(.int(Int64((n * 10 + 1) / 2))), "n = \(n)")
        }
    }

    // MARK: Determinism

    static let deterministicSources = [
        "l.map(x, x * 2).filter(x, x > 10).size()",
        "l.exists(x, x == 57)",
        "l.all(x, string(x).size() < 4)",
        "l.map(x, string(x)).exists(s, s.matches('^9+$'))",
        "l.map(a, l.map(b, a * b)).size()",
    ]

    @Test(arguments: deterministicSources)
    func fuelUsedIsDeterministic(_ source: String) throws {
        let program = try Self.compileList(source)
        let input: [String: CELValue] = ["l": Self.ints(100)]
        let first = program.evaluate(input)
        let second = program.evaluate(input)
        let recompiled = try Self.compileList(source).evaluate(input)
        #expect(first.fuelUsed == second.fuelUsed)
        #expect(first.fuelUsed == recompiled.fuelUsed)
        #expect(first.result == second.result)
        #expect(first.fuelUsed > 0)
        guard case .success = first.result else { Issue.record("\(source): \(first.result)"); return }
    }

    @Test func fuelUsedOnTrapIsDeterministic() throws {
        let program = try Self.compileList(nestedComprehensionsFirst, limits: Limits(fuel: 12_345))
        let a = program.evaluate(["l": Self.ints(100)])
        let b = program.evaluate(["l": Self.ints(100)])
        #expect(a.result == .failure(.fuelExhausted(limit: 12_345)))
        #expect(a.fuelUsed == b.fuelUsed)
    }

    private var nestedComprehensionsFirst: String { Self.nestedComprehensions[0] }

    @Test func staticCostBoundCoversStraightLineCode() throws {
        let program = try compile("1 + 2 * 3 == 7 && 'a' < 'b'")
        let evaluation = program.evaluate()
        #expect(evaluation.result == .success(.bool(true)))
        #expect(program.module.costBound != .max)
        #expect(evaluation.fuelUsed <= program.module.costBound)
    }
}
