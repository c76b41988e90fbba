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
            #expect(decision.body == #"{"predicate":"big","version":1,"decision":true,"fuel_used":5}"#)
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
            #expect(refused.body == #"{"error":{"code":"invalid_predicate","message":"'big' cannot be published: check error at 1:1: no field 'amout' in txn; did you mean 'amount'?","details":{"diagnostics":[{"stage":"check","message":"no field 'amout' in txn; did you mean 'amount'?","line":1,"column":1,"rendered":"1:1: error: no field 'amout' in txn; did you mean 'amount'?\ntxn.amout > 100.0\n^~~~~~~~~"}]}}}"#)
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
            #expect(refused.body == #"{"error":{"code":"invalid_predicate","message":"'big' cannot be published: declaration error: txn: invalid JSON Schema: unsupported JSON Schema keyword 'multipleOf' at #/properties/amount","details":{"diagnostics":[{"stage":"declaration","message":"txn: invalid JSON Schema: unsupported JSON Schema keyword 'multipleOf' at #/properties/amount"}]}}}"#)
            let notASchema = try await client.post("/v1/predicates", #"{"name": "big", "source": "true", "declarations": {"txn": 5}}"#)
            #expect(notASchema.status == .badRequest)
            #expect(notASchema.body.contains(#"declaration of 'txn' must be a CEL type string such as \"map(string, dyn)\" or a JSON Schema object"#))
        }
        await fixture.store.close()
    }
}
