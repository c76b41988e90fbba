import Spectral
import Testing

/// Failures name the place in the source they arose from.
@Suite struct FailureLocationTests {
    func evaluate(_ source: String, _ input: String, declarations: [String: CELType] = [:], limits: Limits = Limits()) throws -> Evaluation {
        try compile(source, in: Environment(variables: declarations, limits: limits)).evaluate(json: Array(input.utf8))
    }

    @Test func errorsPointAtTheExpressionThatMadeThem() throws {
        let user: [String: CELType] = ["user": .map(.string, .dyn)]
        let missing = try evaluate("user.name == 'x' && user.age > 18", #"{"user": {"name": "x"}}"#, declarations: user)
        #expect(missing.failureLocation(in: "user.name == 'x' && user.age > 18") == "at 1:21 in 'user.age'")
        let overflow = try evaluate("1 +\n  (n * 2)", #"{"n": 9223372036854775807}"#, declarations: ["n": .int])
        #expect(overflow.failureLocation(in: "1 +\n  (n * 2)") == "at 2:4 in 'n * 2'")
        // An error absorbed by `||` leaves no failure, and so no place.
        let absorbed = try evaluate("user.age > 18 || true", #"{"user": {}}"#, declarations: user)
        #expect(absorbed.result == .success(.bool(true)) && absorbed.failureSpan == nil)
        // A variable the input lacks was made by no instruction: named, not placed.
        let unbound = try evaluate("user.age > 18", "{}", declarations: user)
        #expect(unbound.result == .failure(.evaluation("no such attribute: the input has no 'user'")) && unbound.failureSpan == nil)
    }

    @Test func exhaustionPointsAtWhereItRanOut() throws {
        let source = "[1, 2, 3].map(x, [x, x, x, x]).size() > 0"
        let starved = try evaluate(source, "{}", limits: Limits(fuel: 10))
        #expect(starved.result == .failure(.fuelExhausted(limit: 10)))
        #expect(starved.failureLocation(in: source) != nil)
    }
}
