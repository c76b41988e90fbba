import Foundation
import Spectral
import Testing

/// Regressions: bugs found while writing the SpectralTests suites, now fixed. Each test
/// states the correct behaviour.
@Suite struct RegressionTests {
    /// Was a bug: `JSONInput.bindings` rejects duplicate keys in nested objects but silently keeps the
    /// last value for duplicate top-level binding names (`{"a": 1, "a": 2}` → a = 2).
    @Test func topLevelDuplicateKeysAreRejected() {
        do {
            let bindings = try JSONInput.bindings(Array(#"{"a": 1, "a": 2}"#.utf8))
            Issue.record("duplicate top-level key accepted: \(bindings)")
        } catch {
            #expect(error.description.contains("duplicate"))
            #expect(error.description.contains("a"))
        }
    }

    /// Was a bug: `string(double)` switches to exponent form only at exponent ≥ 21 (JavaScript's rule), but
    /// Go's `strconv.FormatFloat(d, 'g', -1, 64)` / `%g`, which CEL (cel-go) uses and the source's doc
    /// comment cites, switches at exponent ≥ 6 when printing the shortest representation.
    @Test(arguments: [
        ("string(1234567.0)", "1.234567e+06"),
        ("string(123456789.0)", "1.23456789e+08"),
        ("string(-1e20)", "-1e+20"),
    ])
    func doubleToStringUsesGoExponentThreshold(_ source: String, _ expected: String) throws {
        let result = try compile(source).evaluate().result
        #expect(result == .success(.string(expected)), "\(source)")
    }

    /// Was a divergence from cel-go: `double('1e400')` yields +Infinity; cel-go's string→double
    /// conversion uses strconv.ParseFloat and reports a range error as a conversion error.
    @Test func doubleConversionOfOutOfRangeStringIsAnError() throws {
        let result = try compile("double('1e400')").evaluate().result
        guard case .failure(.evaluation) = result else {
            Issue.record("double('1e400') should be a conversion error, got \(result)"); return
        }
    }

    /// Was a weakness (found reviewing the fuzz targets): `==` and `in` charged fuel for the
    /// top-level elements only, so comparing deeply nested input did far more work than
    /// it paid for. Now every nested element compared is charged.
    @Test func deepComparisonsAreChargedForEveryNestedElement() throws {
        // Two equal lists of 200 lists of 50 ints: 10,000 nested comparisons.
        let inner = "[" + (0..<50).map(String.init).joined(separator: ",") + "]"
        let outer = "[" + Array(repeating: inner, count: 200).joined(separator: ",") + "]"
        let input = Array(#"{"x": \#(outer), "y": \#(outer)}"#.utf8)
        let environment = Environment(variables: ["x": .dyn, "y": .dyn], limits: Limits(fuel: 5_000))
        let program = try compile("x == y", in: environment)
        let evaluation = program.evaluate(json: input)
        #expect(evaluation.result == .failure(.fuelExhausted(limit: 5_000)), "\(evaluation.result)")
        let generous = try compile("x == y", in: Environment(variables: ["x": .dyn, "y": .dyn]))
        let passed = generous.evaluate(json: input)
        #expect(passed.result == .success(.bool(true)))
        #expect(passed.fuelUsed > 10_000)
    }
}
