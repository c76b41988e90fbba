import Foundation
import Hummingbird
import HummingbirdTesting
import Spectral
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
}
