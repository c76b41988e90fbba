import Spectral
import SpectralCatalog
import Synchronization
import Testing

/// The validator: what every published version passes.
@Suite struct PredicateValidatorTests {
    static let declarations = ["amount": "double", "customer": "map(string, dyn)"]

    /// The validator runs the tests on the decoded bytes, which now say how to bind:
    /// `amount / 2.0` only works on an amount bound as a double.
    @Test func validatorRunsTestsOnTheStoredBytes() throws {
        let input = try JSONValue.parse((#"{"amount": 5000, "customer": {"tier": "gold"}}"#))
        let test = PredicateTest(input: input, expect: .bool(true))
        let outcome = PredicateValidator().validate(
            source: "amount / 2.0 == 2500.0 && customer.tier == 'gold'", declarations: Self.declarations, tests: [test])
        guard case .accepted(let accepted) = outcome else {
            Issue.record("rejected: \(outcome)")
            return
        }
        #expect(try ModuleDecoder.decode(accepted.bytecode).declarations == [.double, .map(key: .string, value: .dyn)])
        #expect(accepted.program.inputShapes == ["amount": .double, "customer": .map(.dyn)])
    }

    // Fails if an abandoned validation (the worker stopped waiting: over its time budget)
    // went on running every remaining test to its fuel limit.
    @Test func validatorStopsBeforeTheNextTestWhenAsked() throws {
        let asked = Atomic<Int>(0)
        let tests = try (0..<5).map { _ in PredicateTest(input: try JSONValue.parse(#"{"amount": 1.0}"#), expect: .bool(true)) }
        let outcome = PredicateValidator().validate(source: "amount > 0.0", declarations: ["amount": "double"], tests: tests,
                                                    shouldStop: { asked.add(1, ordering: .relaxed).newValue > 2 })
        guard case .rejected(let diagnostics) = outcome else {
            Issue.record("not stopped: \(outcome)")
            return
        }
        #expect(diagnostics.map(\.stage) == ["budget"])
        #expect(diagnostics.first?.message == "stopped before test 3 of 5: over its time budget")
        #expect(asked.load(ordering: .relaxed) == 3)
    }
}
