import Foundation
import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralTestSupport
import Testing

/// Shadow mode on both stores: a version evaluated on live decisions after they are
/// answered, its disagreements counted exactly as a hand count says, in the summary and in
/// `/metrics`; stopping it stops the counting. Decide answers with the active version
/// throughout.
@Suite struct ShadowTests {
    @Test(arguments: TestBackend.allCases)
    func shadowCountsMatchAHandCount(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.publish("gate", "x > 100", declarations: ["x": "int"])
        try await fixture.publish("gate", "x > 10", declarations: ["x": "int"], activate: false)
        try await fixture.application().test(.live) { client in
            let started = try await client.post("/v1/predicates/gate/shadow", #"{"version": 2, "sample": 1}"#)
            #expect(started.status == .created, "\(started.body)")
            for x in 0..<200 {
                let answer = try await client.post("/v1/decide", #"{"predicate": "gate", "input": {"x": \#(x)}}"#)
                #expect(answer.body.contains(#""version":1,"decision":\#(x > 100)"#))
            }
            // By hand: x = 11 … 100 decide false on version 1 and true on version 2.
            var summary = JSONValue.null
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                summary = try JSONValue.parse(try await client.get("/v1/predicates/gate/shadow").body)
                if summary["evaluated"]?.int64Value == 200 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(summary["evaluated"]?.int64Value == 200 && summary["agreed"]?.int64Value == 110, "\(summary)")
            #expect(summary["disagreed"]?.int64Value == 90 && summary["changes"]?["false->true"]?.int64Value == 90)
            #expect(summary["dropped"]?.int64Value == 0)
            let examples = try #require(summary["disagreements"]?.arrayValue)
            #expect(examples.count == 20 && examples.last?["input"]?["x"]?.int64Value == 100)
            let metrics = try await client.get("/metrics").body
            #expect(metrics.contains("spectral_shadow_disagreements_total 90"), "\(metrics)")

            // Stopped: the final summary, then nothing more is counted.
            let stopped = try JSONValue.parse(try await client.execute(uri: "/v1/predicates/gate/shadow", method: .delete) {
                String(buffer: $0.body)
            })
            #expect(stopped["disagreed"]?.int64Value == 90)
            _ = try await client.post("/v1/decide", #"{"predicate": "gate", "input": {"x": 50}}"#)
            #expect(try await client.get("/v1/predicates/gate/shadow").status == .notFound)

            // Refusals.
            #expect(try await client.post("/v1/predicates/gate/shadow", #"{"version": 9}"#).status == .notFound)
            #expect(try await client.post("/v1/predicates/gate/shadow", #"{"version": 2, "sample": 2}"#).status == .badRequest)
            #expect(try await client.post("/v1/predicates/gate/shadow", #"{"versoin": 2}"#).body.contains("did you mean 'version'?"))
        }
        await fixture.store.close()
    }

    /// With the decision log on, each disagreement is logged as the shadow version's decision
    /// naming the live one, whatever the log's sample (0 here: no live decision is logged);
    /// listings show them only when asked (`shadow=true`).
    @Test(arguments: TestBackend.allCases)
    func disagreementsAreWrittenToTheDecisionLog(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.publish("gate", "x > 100", declarations: ["x": "int"])
        try await fixture.publish("gate", "x > 10", declarations: ["x": "int"], activate: false)
        var configuration = ServerConfiguration(port: 0, authentication: .off)
        configuration.decisionLog = DecisionLogSettings(interval: .milliseconds(10), sample: try LogSampleRate(0))
        try await fixture.application(configuration).test(.live) { client in
            #expect(try await client.post("/v1/predicates/gate/shadow", #"{"version": 2, "sample": 1}"#).status == .created)
            var liveIDs: Set<String> = []
            for x in 0..<200 {
                let answer = try JSONValue.parse(try await client.post("/v1/decide", #"{"predicate": "gate", "input": {"x": \#(x)}}"#).body)
                if (11...100).contains(x), let id = answer["decision_id"]?.stringValue { liveIDs.insert(id) }
            }
            var page = JSONValue.null
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                page = try JSONValue.parse(try await client.get("/v1/decisions?predicate=gate&shadow=true&limit=200").body)
                if page["decisions"]?.arrayValue?.count == 90 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let logged = try #require(page["decisions"]?.arrayValue, "\(page)")
            #expect(logged.count == 90)
            // Each one: version 2's decision on the input of the live decision it names.
            #expect(Set(logged.compactMap { $0["shadow_of"]?.stringValue }) == liveIDs)
            #expect(logged.allSatisfy { $0["version"]?.int64Value == 2 && $0["decision"] == .bool(true) })
            #expect(Set(logged.compactMap { $0["input"]?["x"]?.int64Value }) == Set(11...100))
            // Not among the decisions answered (none of which the sample of 0 logged).
            let answered = try JSONValue.parse(try await client.get("/v1/decisions?predicate=gate").body)
            #expect(answered["decisions"]?.arrayValue?.isEmpty == true, "\(answered)")
            #expect(try await client.get("/v1/decisions?shadow=maybe").status == .badRequest)
        }
        let stored = try await fixture.store.decisions(matching: DecisionLogFilter(predicate: "gate", shadow: true), limit: 100, after: nil)
        #expect(stored.records.count == 90 && stored.records.allSatisfy { $0.shadowOf != nil })
        await fixture.store.close()
    }
}
