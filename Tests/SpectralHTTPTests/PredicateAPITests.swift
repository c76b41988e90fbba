import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralHTTP
import SpectralStore
import SpectralTestSupport
import SpectralWorker
import Testing

/// The authoring intake, the catalogue, /health and /metrics; and the whole path over a
/// real socket: intake → outbox → worker → decide.
@Suite struct PredicateAPITests {
    @Test func intakeWritesTheOutboxAndStatusFollowsIt() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.application().test(.router) { client in
            let accepted = try await client.post("/v1/predicates", #"{"name": "adult", "source": "user.age >= 18", "declarations": {"user": "map(string, dyn)"}, "tests": [{"input": {"user": {"age": 20}}, "expect": true}]}"#)
            #expect(accepted.status == .accepted)
            let id = try #require(try JSONValue.parse(accepted.body)["event_id"]?.int64Value)
            #expect(try await client.get("/v1/authoring/\(id)").body.contains(#""status":"pending""#))
            let handler = PredicateAuthoredHandler()
            _ = try await fixture.store.claimNext(generation: 1) { event in (handler.name, try handler.handle(event)) }
            #expect(try await client.get("/v1/authoring/\(id)").body == #"{"event_id":\#(id),"status":"published","predicate":"adult","version":1}"#)
            let catalogue = try await client.get("/v1/predicates/adult")
            #expect(catalogue.status == .ok && catalogue.body.contains(#""active_version":1"#) && !catalogue.body.contains("bytecode"))

            let invalid = try await client.post("/v1/predicates", #"{"name": "9x", "source": "true"}"#)
            #expect(invalid.status == .badRequest && errorCode(invalid.body) == "invalid_predicate_request")
            #expect(try await client.get("/v1/authoring/999").status == .notFound)
            #expect(try await client.get("/v1/authoring/abc").status == .badRequest)
            #expect(try await client.get("/v1/predicates/none").status == .notFound)
            #expect(try await client.post("/v1/predicates/adult/activate", #"{"version": 5}"#).status == .notFound)
            #expect(try await client.post("/v1/predicates/adult/rollback", "").status == .conflict)
        }
        await fixture.store.close()
    }

    @Test func healthAndMetrics() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.publish("t", "true")
        try await fixture.application().test(.router) { client in
            let health = try await client.get("/health")
            #expect(health.status == .ok)
            let json = try JSONValue.parse(health.body)
            #expect(json["status"] == .string("ok") && json["generation"]?.int64Value == 1)
            #expect(json["features"] == .object([("store", "wired"), ("outbox", "wired")]), "no probes given: no llm line")
            _ = try await client.post("/v1/decide", #"{"predicate": "t"}"#)
            _ = try await client.post("/v1/decide", #"{"predicate": "missing"}"#)
            let metrics = try await client.get("/metrics").body
            for series in ["spectral_decide_duration_seconds_count 1", "spectral_decide_fuel_count 1", "spectral_decisions_total 1",
                           #"spectral_errors_total{code="not_found"} 1"#, "spectral_program_cache_size 1", "spectral_outbox_backlog 0"] {
                #expect(metrics.contains(series), "missing \(series)")
            }
        }
        await fixture.store.close()
    }

    @Test(arguments: TestBackend.allCases)
    func endToEndOverASocket(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        let worker = OutboxWorker(store: fixture.store, configuration: WorkerConfiguration(pollInterval: .milliseconds(50)),
                                  handlers: [PredicateAuthoredHandler()], logger: fixture.logger)
        let running = Task { try await worker.run() }
        try await fixture.application().test(.live) { client in
            let accepted = try await client.post("/v1/predicates", #"{"name": "vip", "source": "'gold' in user.tiers", "declarations": {"user": "map(string, list(string))"}}"#)
            let id = try #require(try JSONValue.parse(accepted.body)["event_id"]?.int64Value)
            var published = false
            for _ in 0..<100 where !published {
                published = try await client.get("/v1/authoring/\(id)").body.contains("published")
                if !published { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(published)
            let decision = try await client.post("/v1/decide", #"{"predicate": "vip", "input": {"user": {"tiers": ["silver", "gold"]}}}"#)
            #expect(DecisionIDText.removed(from: decision.body).body == #"{"predicate":"vip","version":1,"decision":true,"fuel_used":"# + decisionFuel(decision.body) + "}")
        }
        worker.requestShutdown()
        try await running.value
        await fixture.store.close()
    }

    private func decisionFuel(_ body: String) -> String {
        (try? JSONValue.parse(body))?["fuel_used"]?.int64Value.map(String.init) ?? "?"
    }
}
