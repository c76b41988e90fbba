import Spectral
import SpectralBytecode
import Testing

/// A loop's invariant subexpressions (constants, input variables, fields selected from
/// them) are evaluated once, before the loop, and give what evaluating them on every
/// iteration gave: the same values, the same errors, nothing where the loop never reads them.
@Suite struct LoopInvariantTests {
    let declarations: [String: CELType] = ["l": .list(.dyn), "m": .list(.dyn), "txn": .map(.string, .dyn)]

    func program(_ source: String) throws -> Program {
        try compile(source, in: Environment(variables: declarations))
    }

    func evaluate(_ source: String, _ input: String) throws -> Evaluation {
        try program(source).evaluate(json: Array(input.utf8))
    }

    /// The instructions from the first loop's first `iterNext` on (its accumulator is
    /// initialised just before: that load is the loop's own).
    func loop(_ program: Program) -> [Opcode] {
        let opcodes = program.module.code.map(\.opcode)
        guard let start = opcodes.firstIndex(of: .iterNext) else { return [] }
        return Array(opcodes[start...])
    }

    @Test func constantsAndInputFieldsLeaveTheLoopBody() throws {
        let filter = try program("l.filter(t, t.amount > 500.0 && t.country != txn.country)")
        let body = loop(filter)
        #expect(!body.isEmpty)
        #expect(!body.contains(.loadConst) && !body.contains(.loadVar))
        // `t.amount` and `t.country` read the element, so they stay.
        #expect(body.filter { $0 == .select }.count == 2)
        // An inner loop's invariants leave both loops; its range, an input, is read once too.
        let nested = try program("l.all(a, m.exists(b, b == txn.country || a == 1))")
        #expect(!loop(nested).contains(.loadVar) && !loop(nested).contains(.loadConst))
        try Verifier.verify(nested.module)
        // A binding inside a loop: its value is read once; its empty range is never loaded.
        let bound = try program("l.all(x, cel.bind(y, txn.limit, x < y))")
        #expect(!loop(bound).contains(.loadVar))
        #expect(bound.module.code.filter { $0.opcode == .loadConst }.count == 1, "only the accumulator's `true`")
    }

    @Test func anInvariantCostsNothingPerIteration() throws {
        // Typed, so that both comparisons are `ltInt`.
        let typed = Environment(variables: ["l": .list(.int), "txn": .map(.string, .int)])
        func fuelPerElement(_ source: String) throws -> Int64 {
            let program = try compile(source, in: typed)
            func run(_ input: String) -> Evaluation { program.evaluate(json: Array(input.utf8)) }
            let ten = run(#"{"l": [1,2,3,4,5,6,7,8,9,10], "txn": {"limit": 100}}"#)
            let twenty = run(#"{"l": [1,2,3,4,5,6,7,8,9,10,1,2,3,4,5,6,7,8,9,10], "txn": {"limit": 100}}"#)
            #expect(ten.result == .success(.bool(true)) && twenty.result == .success(.bool(true)))
            return (Int64(twenty.fuelUsed) - Int64(ten.fuelUsed)) / 10
        }
        // The field is read before the loop: an element costs what it costs against a constant.
        #expect(try fuelPerElement("l.all(x, x > 0 && x < txn.limit)") == fuelPerElement("l.all(x, x > 0 && x < 100)"))
    }

    @Test func valuesAndErrorsAreThoseOfEveryIteration() throws {
        // A missing field is an error only where the loop reads it.
        let missing = #"{"l": [1, 2], "txn": {}}"#
        #expect(try evaluate("[].all(t, t == txn.missing)", missing).result == .success(.bool(true)))
        #expect(try evaluate("l.exists(t, t == 1 || t == txn.missing)", missing).result == .success(.bool(true)))
        let failed = try evaluate("l.all(t, t == txn.missing)", missing)
        #expect(failed.result == .failure(.evaluation("no such key: missing")))
        #expect(failed.failureLocation(in: "l.all(t, t == txn.missing)") == "at 1:15 in 'txn.missing'")
        // Values: the hoisted read is the same value on every iteration.
        let present = #"{"l": [1, 2, 3], "txn": {"country": "BR", "codes": ["BR", "US"]}}"#
        #expect(try evaluate("l.map(t, txn.country + string(t))", present).result
                == .success(.list([.string("BR1"), .string("BR2"), .string("BR3")])))
        #expect(try evaluate("l.filter(t, txn.country in txn.codes && t > 1).size() == 2", present).result
                == .success(.bool(true)))
    }
}
