import Spectral
import Testing

/// Optional values end to end: parse, check, compile, verify, run (the conformance suite
/// covers the semantics in breadth; these pin the parts specific to this engine).
@Suite struct OptionalValueTests {
    private func run(_ source: String, limits: Limits = Limits()) throws -> Result<CELValue, EvaluationError> {
        try compile(source, in: Environment(limits: limits)).evaluate().result
    }

    @Test("optional syntax and functions", arguments: [
        ("{'a': 1}.?b.orValue(5)", CELValue.int(5)),
        ("{'a': 1}.?a.value()", .int(1)),
        ("[1, ?optional.none(), ?optional.of(3)]", .list([.int(1), .int(3)])),
        ("{?'k': optional.none(), 'j': 2}", .map([(key: .string("j"), value: .int(2))])),
        ("[10, 20][?5].hasValue()", .bool(false)),
        ("optional.of([1, 2])[1].value()", .int(2)),
        ("optional.of(2).optMap(x, x * 10).value()", .int(20)),
        ("optional.none().optFlatMap(x, optional.of(x)).hasValue()", .bool(false)),
        ("optional.ofNonZeroValue('').or(optional.of('z')).value()", .string("z")),
        ("has({'a': optional.none()}.a.b)", .bool(false)),
        ("optional.of(dyn(1)) == optional.of(1.0)", .bool(true)),
        ("type(optional.none()) == optional_type", .bool(true)),
    ])
    func evaluates(source: String, expected: CELValue) throws {
        #expect(try run(source) == .success(expected), "\(source)")
    }

    @Test("an absent value is an error only when dereferenced")
    func dereferencingNoneFails() throws {
        guard case .failure(.evaluation(let message)) = try run("optional.none().value()") else {
            Issue.record("expected an evaluation error")
            return
        }
        #expect(message.contains("optional.none()"))
        #expect(try run("optional.none().orValue(7)") == .success(.int(7)))
    }

    @Test("or and orValue evaluate the fallback only when the optional is absent (as cel-go and cel-cpp)", arguments: [
        ("optional.of(1).orValue(1 / 0)", CELValue.int(1)),
        ("optional.of(1).or(optional.of(1 / 0)).value()", .int(1)),
        ("{'a': 2}.?a.orValue([1][5])", .int(2)),
        ("optional.none().or(optional.none()).orValue(3)", .int(3)),
    ])
    func fallbackIsLazy(source: String, expected: CELValue) throws {
        #expect(try run(source) == .success(expected), "\(source)")
    }

    @Test("an absent optional's fallback is evaluated, errors and all; a present one's costs no fuel")
    func fallbackEvaluatedWhenAbsent() throws {
        guard case .failure(.evaluation(let message)) = try run("optional.none().orValue(1 / 0)") else {
            Issue.record("expected the fallback's error")
            return
        }
        #expect(message.contains("division by zero"))
        let costly = "[" + (0..<200).map(String.init).joined(separator: ",") + "].map(x, x * 2).size()"
        let present = try compile("optional.of(1).orValue(\(costly))").evaluate()
        let absent = try compile("optional.none().orValue(\(costly))").evaluate()
        #expect(present.result == .success(.int(1)))
        #expect(absent.result == .success(.int(200)))
        #expect(present.fuelUsed * 10 < absent.fuelUsed, "present \(present.fuelUsed), absent \(absent.fuelUsed)")
    }

    @Test("optional types are checked")
    func checking() throws {
        #expect(try check("optional.of(1)").resultType == .abstract("optional_type", [.int]))
        #expect(try check("{'a': 'b'}.?a").resultType == .abstract("optional_type", [.string]))
        #expect(try check("[optional.none(), optional.of(1)][0].value() + 1").resultType == .int)
        #expect(throws: CompileFailure.self) { try check("[?1]") }
        #expect(throws: CompileFailure.self) { try check("optional.of(1).value() + 'a'") }
        let failure = #expect(throws: CompileFailure.self) { try check("{?'a': 2}") }
        #expect(failure?.rendered().contains("an optional entry ('?') needs an optional value") == true)
    }

    @Test("results: an optional is its value in JSON, absent is null")
    func resultsAsJSON() throws {
        #expect(try run("optional.of({'k': 2})").get().jsonText == #"{"k":2}"#)
        #expect(try run("optional.none()").get().jsonText == "null")
        #expect(try run("optional.of(2)").get().description == "optional.of(2)")
    }

    @Test("unchecked: objects are not map keys and not ordered; errors, not crashes", arguments: [
        "{optional.none(): 1}", "{ip('1.2.3.4'): 1}", "{'a': 1}[optional.of('a')]", "optional.of(1) < optional.of(2)",
        "optional.none().or(1)", "optional.none().value()", "1.hasValue()",
    ])
    func uncheckedMisuse(source: String) throws {
        let program = try compile(source, in: Environment(typeCheck: false))
        guard case .failure(.evaluation) = program.evaluate().result else {
            Issue.record("\(source): expected an evaluation error, got \(program.evaluate().result)")
            return
        }
    }

    @Test("optMap binds without a loop, so its cost has a static bound")
    func optMapIsStaticallyBounded() throws {
        let program = try compile("optional.of(1).optMap(x, x + 1)")
        #expect(program.module.costBound < 100)
        #expect(!program.module.code.contains { $0.opcode == .iterNext })
    }

    @Test("a chain of optMap calls compiles to code linear in its length (the target is bound, not copied)")
    func optMapChainIsLinear() throws {
        func chain(_ n: Int) -> String {
            "optional.of(1)" + String(repeating: ".optMap(x, x + 1)", count: n) + ".value()"
        }
        let short = try compile(chain(10)), long = try compile(chain(60))
        #expect(try long.evaluate().result == .success(.int(61)))
        // Copying the target doubled the code per call: 2^60 instructions would never finish.
        #expect(long.module.code.count < 7 * short.module.code.count,
                "10 calls: \(short.module.code.count) instructions, 60 calls: \(long.module.code.count)")
        #expect(try compile("optional.none().optFlatMap(x, optional.of(x)).optMap(y, y).hasValue()").evaluate().result
                == .success(.bool(false)))
    }

    @Test("optional objects count against the memory limit")
    func memoryLimited() throws {
        let result = try run("[" + (0..<50).map(String.init).joined(separator: ",") + "].map(x, [x].map(y, optional.of(y)))",
                             limits: Limits(memory: 4096))
        #expect(result == .failure(.memoryExhausted(limit: 4096)))
    }
}
