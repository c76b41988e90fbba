import Spectral
import SpectralCatalog
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
}
