import Foundation
import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralCatalog
@testable import SpectralHTTP
import SpectralTestSupport
import Testing

/// The JSON lines sink: one line per decision, the shape `GET /v1/decisions/{id}` answers,
/// appended beside the store write (or instead of it).
@Suite struct DecisionLogJSONLinesTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("spectral-jsonl-\(UUID().uuidString).jsonl").path
    }

    @Test(arguments: TestBackend.allCases)
    func eachDecisionIsALineShapedLikeTheAPIsRecord(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.publish("big", "amount > 100.0", declarations: ["amount": "double"])
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A line already there stays: the file is appended to, never truncated.
        try Data("earlier\n".utf8).write(to: URL(fileURLWithPath: path))
        var configuration = ServerConfiguration(port: 0, generation: 5, authentication: .off)
        var settings = DecisionLogSettings(capacity: 100, batchSize: 2, interval: .milliseconds(10))
        settings.jsonLines = try DecisionLogJSONLines(destination: path)
        configuration.decisionLog = settings
        let ids = try await fixture.application(configuration).test(.router) { client in
            let single = try await client.post("/v1/decide", #"{"predicate": "big", "input": {"amount": 250}}"#)
            let failed = try await client.post("/v1/decide", #"{"predicate": "big", "input": {"amount": "x"}}"#)
            let batch = try await client.post("/v1/decide/batch", #"{"predicate": "big", "inputs": [{"amount": 5.5}, {}, {"amount": 1e3}]}"#)
            return DecisionIDText.all(in: single.body) + DecisionIDText.all(in: failed.body) + DecisionIDText.all(in: batch.body)
        }
        #expect(ids.count == 5)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "earlier" && lines.last == "", "appended, each line ended")
        let written = lines.dropFirst().dropLast().map(String.init)
        #expect(written.count == 5)
        // Each line is the store's record of that decision, as the API shows it.
        try await fixture.application(configuration).test(.router) { client in
            for (line, id) in zip(written, ids) {
                let shown = try await client.get("/v1/decisions/\(id)")
                #expect(shown.status == .ok)
                #expect(line == shown.body)
            }
        }
        #expect(written[0].contains(#""input":{"amount":250},"decision":true"#) && written[0].contains(#""generation":5"#))
        #expect(written[1].contains(#""error_code":"invalid_input""#))
        await fixture.store.close()
    }

    /// With the JSON lines sink alone, the table stays empty and the lines still come.
    @Test func linesWithoutTheTable() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.publish("big", "amount > 100.0", declarations: ["amount": "double"])
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = ServerConfiguration(port: 0, authentication: .off)
        var settings = DecisionLogSettings(interval: .milliseconds(10))
        settings.toStore = false
        settings.jsonLines = try DecisionLogJSONLines(destination: path)
        configuration.decisionLog = settings
        let metrics = try await fixture.application(configuration).test(.router) { client in
            for amount in [1, 500, 2] {
                #expect(try await client.post("/v1/decide", #"{"predicate": "big", "input": {"amount": \#(amount)}}"#).status == .ok)
            }
            // Polled: the writer runs beside the requests.
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                let text = try await client.get("/metrics").body
                if text.contains(#"spectral_decisions_logged_total{sink="jsonl"} 3"#) { return text }
                try await Task.sleep(for: .milliseconds(20))
            }
            return try await client.get("/metrics").body
        }
        #expect(metrics.contains(#"spectral_decisions_logged_total{sink="jsonl"} 3"#), "\(metrics)")
        #expect(!metrics.contains(#"sink="store""#))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.map { (try? JSONValue.parse(String($0)))?["decision"] } == [.bool(false), .bool(true), .bool(false)])
        #expect(try await fixture.store.decisions(matching: DecisionLogFilter(), limit: 10, after: nil).records.isEmpty)
        await fixture.store.close()
    }

    /// A destination that cannot be opened is refused when the sink is made, naming it.
    @Test func anUnopenablePathIsNamed() {
        #expect {
            _ = try DecisionLogJSONLines(destination: "/nonexistent-dir/decisions.jsonl")
        } throws: { error in
            "\(error)" == "cannot open '/nonexistent-dir/decisions.jsonl' for appending: No such file or directory"
        }
    }

    /// The record's time is written as the formatter Foundation has would write it.
    @Test func timesAreUTCWholeSeconds() {
        let formatter = ISO8601DateFormatter()
        for seconds in [0.0, 951_782_400.999, 1_765_000_000.5, 4_102_444_799, -86_401, 1_709_164_800] {
            let date = Date(timeIntervalSince1970: seconds)
            let record = DecisionRecord(id: DecisionID(high: 0, low: 0), createdAt: date, predicate: "p", version: 1, input: "{}",
                                        outcome: .decided(json: "true"), fuel: 0, latencyMicroseconds: 0, caller: nil, generation: 1)
            #expect(record.jsonValue["created_at"]?.stringValue == formatter.string(from: date), "\(seconds)")
        }
    }
}
