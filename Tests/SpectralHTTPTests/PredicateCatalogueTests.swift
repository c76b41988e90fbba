import Foundation
import HummingbirdTesting
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralTestSupport
import SpectralWorker
import Testing

/// What the catalogue tells a client about a predicate's input, on both stores:
/// `GET /v1/predicates/{name}` shows each version's declarations (a schema as its JSON
/// Schema object) and result type; `GET /v1/predicates/{name}/schema` serves the decide
/// input's JSON Schema.
@Suite struct PredicateCatalogueTests {
    /// A schema with a local `$ref`, written with members out of order: the store keeps
    /// (and shows) it canonical.
    static let orderSchema = ##"{"type": "object", "required": ["items"], "$defs": {"item": {"type": "object", "properties": {"qty": {"type": "integer"}}}}, "properties": {"items": {"type": "array", "maxItems": 3, "items": {"$ref": "#/$defs/item"}}}}"##
    static let orderCanonical = ##"{"$defs":{"item":{"properties":{"qty":{"type":"integer"}},"type":"object"}},"properties":{"items":{"items":{"$ref":"#/$defs/item"},"maxItems":3,"type":"array"}},"required":["items"],"type":"object"}"##

    func publish(_ fixture: HTTPFixture, _ definition: PredicateDefinition) async throws {
        _ = try await fixture.store.submit(.predicateAuthored(definition), generation: 1)
        let handler = PredicateAuthoredHandler()
        _ = try await fixture.store.claimNext(generation: 1) { event in (handler.name, try handler.handle(event)) }
    }

    /// The creation time is the store's clock: everything else in the body is exact.
    func withoutClock(_ body: String) -> String {
        body.replacingOccurrences(of: #""(created_at|at)":"[^"]*""#, with: #""$1":"T""#, options: .regularExpression)
    }

    @Test(arguments: TestBackend.allCases)
    func theCatalogueShowsDeclarationsAsWrittenAndTheResultType(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        let source = "order.items.all(i, !has(i.qty) || i.qty > 0) ? limit * 1.0 : 0.0"
        let declarations = ["order": Self.orderCanonical, "limit": "double"]
        try await publish(fixture, PredicateDefinition(name: "order", source: source, declarations: declarations,
                                                       description: "a score", author: "ada", returns: "double"))
        // maxItems bounds the loop: the bound the worker stored is the compiler's.
        let cost = try compile(source, in: Environment(declaring: declarations)).module.costBound
        #expect(cost != .max)
        try await fixture.application().test(.router) { client in
            let shown = try await client.get("/v1/predicates/order")
            #expect(shown.status == .ok)
            #expect(withoutClock(shown.body) == #"{"name":"order","active_version":1,"versions":[{"version":1,"active":true,"source":"order.items.all(i, !has(i.qty) || i.qty > 0) ? limit * 1.0 : 0.0","declarations":{"limit":"double","order":"# + Self.orderCanonical + #"},"returns":"double","mask":[],"log_sample":1,"cost_bound":\#(cost),"tests":0,"author":"ada","description":"a score","event_id":1,"created_at":"T"}],"activations":[{"version":1,"action":"publish","actor":"ada","at":"T"}]}"#)
        }
        await fixture.store.close()
    }

    /// The input schema: a schema declaration as written, its `$ref` moved under its
    /// property so it still resolves; each CEL type as the JSON binding accepts for it.
    @Test(arguments: TestBackend.allCases)
    func theInputSchemaDescribesEveryDeclaredVariable(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        let declarations = ["order": Self.orderCanonical, "limit": "double", "tags": "list(string)", "counts": "map(string, int)",
                            "at": "timestamp", "extra": "dyn", "ok": "bool", "n": "uint", "wait": "duration"]
        try await publish(fixture, PredicateDefinition(name: "order", source: "true", declarations: declarations))
        try await publish(fixture, PredicateDefinition(name: "order", source: "limit > 1.0", declarations: ["limit": "double"], activate: false))
        try await fixture.application().test(.router) { client in
            let active = try await client.get("/v1/predicates/order/schema")
            #expect(active.status == .ok)
            #expect(active.body == ##"{"$schema":"https://json-schema.org/draft/2020-12/schema","title":"order@1 input","type":"object","required":["at","counts","extra","limit","n","ok","order","tags","wait"],"properties":{"at":{"type":"string","format":"date-time"},"counts":{"type":"object","additionalProperties":{"type":"integer","minimum":-9223372036854775808,"maximum":9223372036854775807}},"extra":{},"limit":{"type":"number"},"n":{"type":"integer","minimum":0,"maximum":18446744073709551615},"ok":{"type":"boolean"},"order":{"$defs":{"item":{"properties":{"qty":{"type":"integer"}},"type":"object"}},"properties":{"items":{"items":{"$ref":"#/properties/order/$defs/item"},"maxItems":3,"type":"array"}},"required":["items"],"type":"object"},"tags":{"type":"array","items":{"type":"string"}},"wait":{"type":"string","description":"a CEL duration such as \"1.5s\" or \"2h45m\""}}}"##)
            let second = try await client.get("/v1/predicates/order/schema?version=2")
            #expect(second.body == #"{"$schema":"https://json-schema.org/draft/2020-12/schema","title":"order@2 input","type":"object","required":["limit"],"properties":{"limit":{"type":"number"}}}"#)
            let missing = try await client.get("/v1/predicates/order/schema?version=3")
            #expect(missing.status == .notFound && missing.body.contains("predicate 'order' has no version 3"))
            let unknown = try await client.get("/v1/predicates/none/schema")
            #expect(unknown.status == .notFound && unknown.body.contains("no active predicate named 'none'"))
            for bad in ["0", "x", "1.5", "99999999999"] {
                let refused = try await client.get("/v1/predicates/order/schema?version=\(bad)")
                #expect(refused.status == .badRequest, "version=\(bad)")
                #expect(errorCode(refused.body) == "malformed_request", "\(refused.body)")
            }
        }
        await fixture.store.close()
    }

    /// A predicate whose only version is inactive has no input to describe without a version.
    @Test func anInactivePredicateNeedsAVersion() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await publish(fixture, PredicateDefinition(name: "held", source: "true", activate: false))
        try await fixture.application().test(.router) { client in
            #expect(try await client.get("/v1/predicates/held/schema").status == .notFound)
            let named = try await client.get("/v1/predicates/held/schema?version=1")
            #expect(named.body == #"{"$schema":"https://json-schema.org/draft/2020-12/schema","title":"held@1 input","type":"object","required":[],"properties":{}}"#)
        }
        await fixture.store.close()
    }
}
