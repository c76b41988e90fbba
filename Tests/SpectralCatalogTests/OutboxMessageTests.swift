import SpectralCatalog
import Testing

/// Outbox messages: one case per topic, written and read back only here.
@Suite struct OutboxMessageTests {
    @Test func predicateAuthoredRoundTrips() throws {
        let definition = PredicateDefinition(name: "adult", source: "user.age >= 18", declarations: ["user": "map(string, dyn)"],
                                             tests: [PredicateTest(input: ["user": ["age": 20]], expect: true)])
        let message = OutboxMessage.predicateAuthored(definition)
        #expect(message.topic == "predicate.authored")
        #expect(try OutboxMessage(topic: message.topic, payload: message.payload) == message)
    }

    @Test func unknownTopicsAndMalformedPayloadsAreNamed() {
        #expect(throws: OutboxMessageError.unknownTopic("no.such.topic")) { try OutboxMessage(topic: "no.such.topic", payload: "{}") }
        #expect(throws: OutboxMessageError.malformedPayload(topic: "predicate.authored", message: "\"name\" (a string) is required")) {
            try OutboxMessage(topic: "predicate.authored", payload: "{}")
        }
        #expect(OutboxMessageError.unknownTopic("x").description == "no handler for topic 'x'")
    }
}

/// "Did you mean": close typos only.
@Suite struct SuggestionTests {
    @Test func closeTyposAreSuggestedFarOnesAreNot() {
        #expect(Suggestion.closest(to: "imput", in: ["predicate", "version", "input"]) == "input")
        #expect(Suggestion.closest(to: "tsets", in: ["name", "tests"]) == "tests")
        #expect(Suggestion.closest(to: "amout", in: ["amount", "currency"]) == "amount")
        #expect(Suggestion.closest(to: "xyz", in: ["input", "version"]) == nil)
        #expect(Suggestion.closest(to: "v", in: ["version"]) == nil)
    }
}
