import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralTestSupport
import SpectralWorker
import Testing

/// Inputs declared by JSON Schema, through the HTTP API on both stores: the intake takes a
/// schema object as a declaration, stores its canonical text and shows it back.
@Suite struct TypedInputTests {
    static let txnSchema = #"{"type": "object", "required": ["amount"], "properties": {"amount": {"type": "number"}, "currency": {"type": "string", "enum": ["EUR", "USD"]}}}"#
    /// Members sorted at every level, no spaces: what the store keeps.
    static let txnCanonical = #"{"properties":{"amount":{"type":"number"},"currency":{"enum":["EUR","USD"],"type":"string"}},"required":["amount"],"type":"object"}"#

    @Test(arguments: TestBackend.allCases)
    func intakeStoresASchemaObjectAsCanonicalText(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.application().test(.router) { client in
            let accepted = try await client.post("/v1/predicates", #"{"name": "big", "source": "txn.amount > 100.0", "declarations": {"txn": \#(Self.txnSchema)}}"#)
            #expect(accepted.status == .accepted)
            let handler = PredicateAuthoredHandler()
            _ = try await fixture.store.claimNext(generation: 1) { event in (handler.name, try handler.handle(event)) }
            let stored = try #require(try await fixture.store.predicate("big", version: 1))
            #expect(stored.declarations == ["txn": Self.txnCanonical])
            let catalogue = try await client.get("/v1/predicates/big")
            #expect(catalogue.body.contains(#""declarations":{"txn":"# + Self.txnCanonical + "}"))
            let decision = try await client.post("/v1/decide", #"{"predicate": "big", "input": {"txn": {"amount": 250}}}"#)
            #expect(DecisionIDText.removed(from: decision.body).body == #"{"predicate":"big","version":1,"decision":true,"fuel_used":5}"#)
        }
        await fixture.store.close()
    }

    /// A misspelt field of a schema-declared input is refused at authoring, with the
    /// field it was probably meant to be, rather than published to fail every decision.
    @Test(arguments: TestBackend.allCases)
    func aMisspeltFieldIsACheckErrorWithASuggestion(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.application().test(.router) { client in
            let refused = try await client.post("/v1/predicates", #"{"name": "big", "source": "txn.amout > 100.0", "declarations": {"txn": \#(Self.txnSchema)}}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(errorOnly(refused.body) == #"{"error":{"code":"invalid_predicate","message":"'big' cannot be published: check error at 1:1: no field 'amout' in txn; did you mean 'amount'?","details":{"diagnostics":[{"stage":"check","message":"no field 'amout' in txn; did you mean 'amount'?","line":1,"column":1,"rendered":"1:1: error: no field 'amout' in txn; did you mean 'amount'?\ntxn.amout > 100.0\n^~~~~~~~~"}]}}}"#)
            #expect(try await fixture.store.predicates().isEmpty)
        }
        await fixture.store.close()
    }

    @Test(arguments: TestBackend.allCases)
    func aBadSchemaIsRefusedNamingTheKeywordAndItsPointer(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.application().test(.router) { client in
            let refused = try await client.post("/v1/predicates", #"{"name": "big", "source": "txn.amount > 100.0", "declarations": {"txn": {"type": "object", "properties": {"amount": {"type": "number", "multipleOf": 5}}}}}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(errorOnly(refused.body) == #"{"error":{"code":"invalid_predicate","message":"'big' cannot be published: declaration error: txn: invalid JSON Schema: unsupported JSON Schema keyword 'multipleOf' at #/properties/amount","details":{"diagnostics":[{"stage":"declaration","message":"txn: invalid JSON Schema: unsupported JSON Schema keyword 'multipleOf' at #/properties/amount"}]}}}"#)
            let notASchema = try await client.post("/v1/predicates", #"{"name": "big", "source": "true", "declarations": {"txn": 5}}"#)
            #expect(notASchema.status == .badRequest)
            #expect(notASchema.body.contains(#"declaration of 'txn' must be a CEL type string such as \"map(string, dyn)\" or a JSON Schema object"#))
        }
        await fixture.store.close()
    }

    static let paymentSchema = #"""
        {"type": "object", "required": ["amount", "currency"], "additionalProperties": false,
         "properties": {
           "amount": {"type": "number", "minimum": 0},
           "currency": {"type": "string", "enum": ["EUR", "USD"]},
           "items": {"type": "array", "maxItems": 2, "items": {"type": "object", "required": ["qty"], "properties": {"qty": {"type": "integer"}}}},
           "note": {"type": ["string", "null"], "maxLength": 5},
           "ip": {"type": "string", "format": "ipv4"},
           "at": {"type": "string", "format": "date-time"}}}
        """#

    /// The decide input is validated against the schema while it is bound: each violation
    /// named by its JSON pointer, up to five in one 422; and each value bound as the checker
    /// typed it (`amount` written `250` is a double, so `/ 2.0` has an overload).
    @Test(arguments: TestBackend.allCases)
    func bindingValidatesTheInputByJSONPointer(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.publish("pay", "txn.amount / 2.0 > 50.0 && (!has(txn.items) || txn.items.all(i, i.qty > 0))",
                                  declarations: ["txn": Self.paymentSchema])
        try await fixture.application().test(.router) { client in
            func decide(_ input: String) async throws -> (status: HTTPResponse.Status, body: String) {
                try await client.post("/v1/decide", #"{"predicate": "pay", "input": {"txn": "# + input + "}}")
            }
            let good = try await decide(#"{"amount": 250, "currency": "EUR", "items": [{"qty": 1}], "note": null, "ip": "10.0.0.1", "at": "2024-01-01T00:00:00Z"}"#)
            #expect(good.status == .ok)
            #expect(good.body.hasPrefix(#"{"predicate":"pay","version":1,"decision":true,"#))
            let cases: [(String, String)] = [
                (#"{"amount": "x", "currency": "EUR"}"#, "/txn/amount: expected number, got string"),
                (#"{"amount": null, "currency": "EUR"}"#, "/txn/amount: expected number, got null"),
                (#"{"amount": -1, "currency": "EUR"}"#, "/txn/amount: -1 is below the minimum 0"),
                (#"{"amount": 1, "currency": "EUR", "note": "too long", "ip": "1.2.3", "at": "yesterday"}"#,
                 #"/txn/note: 8 characters, at most 5 allowed; /txn/ip: \"1.2.3\" is not an IPv4 address; /txn/at: expected an RFC 3339 date-time, got \"yesterday\""#),
                (#"{"amout": 5, "currency": "GBP", "items": [{"qty": 1.5}, {}, {"qty": 1}]}"#,
                 #"/txn/amout: unknown field (the schema allows no others); /txn/currency: \"GBP\" is not one of \"EUR\", \"USD\"; /txn/items/0/qty: expected integer, got number 1.5; /txn/items/1: missing required field 'qty'; /txn/items: 3 items, at most 2 allowed"#),
                (#"{"currency": "USD"}"#, "/txn: missing required field 'amount'"),
                ("null", "/txn: expected object, got null"),
                ("[1]", "/txn: expected object, got array"),
            ]
            for (input, message) in cases {
                let refused = try await decide(input)
                #expect(refused.status == .unprocessableContent, "\(input)")
                #expect(errorOnly(refused.body) == #"{"error":{"code":"invalid_input","message":"input does not fit pay@1: "# + message + #""}}"#)
            }
        }
        await fixture.store.close()
    }

    /// `"returns"` is enforced by the checker: an expression of another type is refused
    /// at authoring (until now `1 + 2` was published and decided 3); a score says
    /// `"double"`, and the version keeps it.
    @Test(arguments: TestBackend.allCases)
    func theResultTypeIsDeclaredAndChecked(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.application().test(.router) { client in
            let notADecision = try await client.post("/v1/predicates", #"{"name": "three", "source": "1 + 2"}"#)
            #expect(notADecision.status == .unprocessableContent)
            #expect(notADecision.body.hasPrefix(#"{"error":{"code":"invalid_predicate","message":"'three' cannot be published: check error at 1:1: the expression returns 'int', not the declared 'bool'""#))
            let wrongScore = try await client.post("/v1/predicates", #"{"name": "score", "source": "txn.amount > 1.0", "returns": "double", "declarations": {"txn": \#(Self.txnSchema)}}"#)
            #expect(wrongScore.body.contains("the expression returns 'bool', not the declared 'double'"))
            let badType = try await client.post("/v1/predicates", #"{"name": "score", "source": "1.0", "returns": "doubel"}"#)
            #expect(badType.body.contains(#"returns: unknown type 'doubel' in 'doubel'"#))
            let score = try await client.post("/v1/predicates", #"{"name": "score", "source": "txn.amount * 0.5", "returns": "double", "declarations": {"txn": \#(Self.txnSchema)}}"#)
            #expect(score.status == .accepted)
            let handler = PredicateAuthoredHandler()
            _ = try await fixture.store.claimNext(generation: 1) { event in (handler.name, try handler.handle(event)) }
            #expect(try await fixture.store.predicate("score", version: 1)?.returns == "double")
            #expect(try await client.get("/v1/predicates/score").body.contains(#""returns":"double""#))
            let decision = try await client.post("/v1/decide", #"{"predicate": "score", "input": {"txn": {"amount": 7}}}"#)
            #expect(DecisionIDText.removed(from: decision.body).body == #"{"predicate":"score","version":1,"decision":3.5,"fuel_used":5}"#)
        }
        await fixture.store.close()
    }
}
