import Foundation
import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralCatalog
@testable import SpectralHTTP
import SpectralTestSupport
import Testing

/// The decision log from the API's side: each decision queued off the response path and
/// written to the store by the background writer; a full queue drops, never waits.
@Suite struct DecisionLogTests {
    /// Single and batch decisions, answered or failed, land in the store under the ids the
    /// responses carried, with their input, outcome, fuel and generation.
    @Test(arguments: TestBackend.allCases)
    func decisionsAreWrittenUnderTheirIDs(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.publish("big", "amount > 100.0", declarations: ["amount": "double"])
        var configuration = ServerConfiguration(port: 0, generation: 7, authentication: .off)
        configuration.decisionLog = DecisionLogSettings(capacity: 100, batchSize: 2, interval: .milliseconds(10))
        let ids = try await fixture.application(configuration).test(.router) { client in
            let single = try await client.post("/v1/decide", #"{"predicate": "big", "input": {"amount": 250}}"#)
            let failed = try await client.post("/v1/decide", #"{"predicate": "big", "input": {"amount": "x"}}"#)
            #expect(failed.status == .unprocessableContent)
            // A failed decision is still a decision: its answer carries its fuel and id, as a
            // failed result of a batch does.
            let (failedBody, failedID) = DecisionIDText.removed(from: failed.body)
            #expect(failedBody.hasPrefix(#"{"error":{"code":"invalid_input","message":"#) && failedBody.hasSuffix(#"},"fuel_used":0}"#), "\(failedBody)")
            let batch = try await client.post("/v1/decide/batch", #"{"predicate": "big", "inputs": [{"amount": 5.5}, {}]}"#)
            return [try #require(DecisionIDText.removed(from: single.body).id)] + DecisionIDText.all(in: batch.body) + [try #require(failedID)]
        }
        // The application has stopped: its writer wrote what was queued before it exited.
        #expect(ids.count == 4)
        let page = try await fixture.store.decisions(matching: DecisionLogFilter(predicate: "big"), limit: 10, after: nil)
        #expect(page.records.count == 4)
        let byID = Dictionary(uniqueKeysWithValues: page.records.map { ($0.id.text, $0) })
        let decided = try #require(byID[ids[0]])
        #expect(decided.input == #"{"amount": 250}"# && decided.outcome == .decided(json: "true") && decided.fuel == 4)
        #expect(decided.version == 1 && decided.generation == 7 && decided.caller == nil && decided.latencyMicroseconds >= 0)
        #expect(byID[ids[1]]?.outcome == .decided(json: "false") && byID[ids[1]]?.input == #"{"amount": 5.5}"#)
        #expect(byID[ids[2]]?.outcome == .failed(code: "evaluation_error") && byID[ids[2]]?.input == "{}")
        // The failed single decision is logged under the id its answer carried.
        #expect(byID[ids[3]]?.outcome == .failed(code: "invalid_input") && byID[ids[3]]?.input == #"{"amount": "x"}"#)
        await fixture.store.close()
    }

    /// The queue never grows past its capacity: what does not fit is dropped and counted,
    /// in the queue and in /metrics, and the decisions are answered all the same.
    @Test func aFullQueueDropsAndCounts() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.publish("big", "amount > 100.0", declarations: ["amount": "double"])
        var configuration = ServerConfiguration(port: 0, authentication: .off)
        // A writer that looks once an hour: the queue fills and stays full.
        configuration.decisionLog = DecisionLogSettings(capacity: 2, batchSize: 10, interval: .seconds(3600))
        let dropped = try await fixture.application(configuration).test(.router) { client in
            for _ in 0..<5 {
                #expect(try await client.post("/v1/decide", #"{"predicate": "big", "input": {"amount": 250}}"#).status == .ok)
            }
            let series = #"spectral_decision_log_dropped_total{reason="queue_full"} "#
            let metrics = try await client.get("/metrics").body.split(separator: "\n")
            return metrics.first { $0.hasPrefix(series) }.flatMap { Int($0.dropFirst(series.count)) }
        }
        // At shutdown the queued ones are written. The writer's first pass may have taken a
        // record or two before it went to sleep, so the split is not fixed, but every
        // decision is either logged or counted dropped, and the queue held no more than 2.
        let logged = try await fixture.store.decisions(matching: DecisionLogFilter(), limit: 10, after: nil).records.count
        #expect(dropped.map { $0 + logged } == 5 && logged >= 2 && logged <= 4, "dropped \(String(describing: dropped)), logged \(logged)")
        await fixture.store.close()
    }

    /// The caller logged is the key's public id, never the key.
    @Test func theCallerIsTheKeyID() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.publish("big", "amount > 100.0", declarations: ["amount": "double"])
        let (record, key) = APIKeyRecord.issue(name: "logged", scopes: ["decide"], ratePerSecond: 1000)
        try await fixture.store.insertAPIKey(record)
        var configuration = ServerConfiguration(port: 0)
        configuration.decisionLog = DecisionLogSettings(interval: .milliseconds(10))
        try await fixture.application(configuration).test(.router) { client in
            let response = try await client.execute(uri: "/v1/decide", method: .post,
                                                    headers: [.contentType: "application/json", .authorization: "Bearer \(key)"],
                                                    body: ByteBuffer(string: #"{"predicate": "big", "input": {"amount": 250}}"#))
            #expect(response.status == .ok)
        }
        let logged = try await fixture.store.decisions(matching: DecisionLogFilter(), limit: 10, after: nil).records
        #expect(logged.map(\.caller) == [record.id])
        await fixture.store.close()
    }

    @Test func theQueueHoldsItsCapacityOldestFirst() {
        let queue = DecisionLogQueue(capacity: 3)
        let ids = DecisionIDGenerator()
        let records = (0..<5).map { _ in
            DecisionRecord(id: ids.next(), predicate: "p", version: 1, input: "{}", outcome: .decided(json: "true"), fuel: 1,
                           latencyMicroseconds: 1, caller: nil, generation: 1)
        }
        #expect(records.map { queue.append($0) } == [true, true, true, false, false])
        #expect(queue.dropped == 2 && queue.count == 3)
        #expect(queue.takeAll(reserving: 3).map(\.id) == records.prefix(3).map(\.id))
        #expect(queue.count == 0 && queue.takeAll(reserving: 0).isEmpty)
        #expect(queue.append(records[4]))
    }
}
