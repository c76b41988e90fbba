import Foundation
import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralTestSupport
import Testing

/// `"explain": true` on a decide request and `GET /v1/decisions/{id}/explain`, on both
/// stores: the clause tree with values and roles, explanations of failed decisions, the
/// replay of a logged input, and the `audit` scope an explanation needs.
@Suite struct ExplainRoutesTests {
    static let source = "amount > 1000.0 && country == 'US'"
    static let declarations = ["amount": "double", "country": "string"]
    /// The explanation of `source` on an amount of 500.0: the first clause decided it, the
    /// second was skipped, and the first says what would flip it.
    static let explanation = #"{"kind":"and","text":"amount > 1000.0 && country == 'US'","span":[0,34],"role":"decided","value":false,"children":[{"kind":"leaf","text":"amount > 1000.0","span":[0,15],"role":"decided","value":false,"flip":{"subject":"amount","subject_value":500.0,"would_flip_if":"amount > 1000.0"}},{"kind":"leaf","text":"country == 'US'","span":[19,34],"role":"skipped"}]}"#

    @Test(arguments: TestBackend.allCases)
    func aDecisionIsExplainedWhenAsked(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.publish("risk", Self.source, declarations: Self.declarations)
        try await fixture.publish("strict", "x.missing == 1 || x.also_missing == 2", declarations: ["x": "map(string, int)"])
        try await fixture.application().test(.router) { client in
            let input = #"{"amount": 500.0, "country": "US"}"#
            let explained = try await client.post("/v1/decide", #"{"predicate": "risk", "input": \#(input), "explain": true}"#)
            #expect(explained.status == .ok)
            #expect(DecisionIDText.removed(from: explained.body).body
                == #"{"predicate":"risk","version":1,"decision":false,"fuel_used":"# + "\(try Self.fuel(explained.body))"
                + #","explanation":\#(Self.explanation)}"#)
            // Off (or absent) it is the plain answer, with no explanation.
            let plain = try await client.post("/v1/decide", #"{"predicate": "risk", "input": \#(input), "explain": false}"#)
            #expect(!plain.body.contains("explanation"))
            #expect(DecisionIDText.removed(from: plain.body).body == DecisionIDText.removed(from: try await client.post(
                "/v1/decide", #"{"predicate": "risk", "input": \#(input)}"#).body).body)
            let malformed = try await client.post("/v1/decide", #"{"predicate": "risk", "input": \#(input), "explain": "yes"}"#)
            #expect(malformed.status == .badRequest && malformed.body.contains(#""explain\" must be true or false"#))

            // A failed decision is explained in the error's details: both clauses failed.
            let failed = try await client.post("/v1/decide", #"{"predicate": "strict", "input": {"x": {}}, "explain": true}"#)
            #expect(failed.status == .unprocessableContent)
            let details = try #require(try JSONValue.parse(failed.body)["error"]?["details"]?["explanation"])
            #expect(details["kind"]?.stringValue == "or")
            #expect(details["children"]?.arrayValue?.map { $0["role"]?.stringValue } == ["decided", "decided"])
            #expect(details["children"]?.arrayValue?.allSatisfy { $0["error"]?.stringValue?.contains("missing") == true } == true)
        }
        await fixture.store.close()
    }

    @Test(arguments: TestBackend.allCases)
    func aLoggedDecisionIsReplayedAndExplained(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.publish("risk", Self.source, declarations: Self.declarations)
        let base: UInt64 = 1_765_000_000_000
        let logged = DecisionRecord(id: DecisionID(milliseconds: base, randA: 1, randB: 0x8000_0000_0000_0001), predicate: "risk",
                                    version: 1, input: #"{"amount": 500.0, "country": "US"}"#, outcome: .decided(json: "false"),
                                    fuel: 4, latencyMicroseconds: 9, caller: nil, generation: 1)
        // What a log whose input lost a field would hold: the replay cannot decide the same.
        let differing = DecisionRecord(id: DecisionID(milliseconds: base + 1, randA: 1, randB: 0x8000_0000_0000_0001), predicate: "risk",
                                       version: 1, input: #"{"country": "US"}"#, outcome: .decided(json: "true"),
                                       fuel: 4, latencyMicroseconds: 9, caller: nil, generation: 1)
        try await fixture.store.append([logged, differing])
        try await fixture.application().test(.router) { client in
            let replay = try await client.get("/v1/decisions/\(logged.id.text)/explain")
            #expect(replay.status == .ok)
            let fuel = try Self.fuel(replay.body)
            #expect(replay.body == #"{"decision_id":"\#(logged.id.text)","predicate":"risk","version":1,"logged":{"decision":false},"replayed":{"decision":false,"fuel_used":\#(fuel)},"same_outcome":true,"explanation":\#(Self.explanation)}"#)

            let other = try await client.get("/v1/decisions/\(differing.id.text)/explain")
            #expect(other.status == .ok)
            // The amount is missing: the replay fails in the first clause, which the tree shows.
            #expect(other.body.contains(#""replayed":{"error_code":"evaluation_error""#) && other.body.contains(#""same_outcome":false"#)
                && other.body.contains(#""children":[{"kind":"leaf","text":"amount > 1000.0","span":[0,15],"role":"decided","error":"#),
                    "\(other.body)")

            let missing = try await client.get("/v1/decisions/\(DecisionID(milliseconds: 1, randA: 0, randB: 0).text)/explain")
            #expect(missing.status == .notFound)
            #expect(try await client.get("/v1/decisions/nope/explain").status == .badRequest)
        }
        await fixture.store.close()
    }

    /// An explanation quotes the source: a key that may only decide gets none, and neither
    /// replays nor explains a logged decision.
    @Test(arguments: TestBackend.allCases)
    func explainingNeedsTheAuditScope(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.publish("risk", Self.source, declarations: Self.declarations)
        let (deciding, decideKey) = APIKeyRecord.issue(name: "decider", scopes: ["decide"], ratePerSecond: 1000)
        let (auditing, auditKey) = APIKeyRecord.issue(name: "auditor", scopes: ["decide", "audit"], ratePerSecond: 1000)
        try await fixture.store.insertAPIKey(deciding)
        try await fixture.store.insertAPIKey(auditing)
        let body = #"{"predicate": "risk", "input": {"amount": 500.0, "country": "US"}, "explain": true}"#
        try await fixture.application(ServerConfiguration(port: 0)).test(.router) { client in
            func post(_ key: String) async throws -> (status: HTTPResponse.Status, body: String) {
                try await client.execute(uri: "/v1/decide", method: .post,
                                         headers: [.contentType: "application/json", .authorization: "Bearer \(key)"],
                                         body: ByteBuffer(string: body)) { ($0.status, String(buffer: $0.body)) }
            }
            let refused = try await post(decideKey)
            #expect(refused.status == .forbidden && refused.body.contains("'audit' scope"), "\(refused.body)")
            let allowed = try await post(auditKey)
            #expect(allowed.status == .ok && allowed.body.contains(#""explanation":{"kind":"and""#))
            let id = DecisionID(milliseconds: 1, randA: 0, randB: 0).text
            #expect(try await client.get("/v1/decisions/\(id)/explain", headers: [.authorization: "Bearer \(decideKey)"]).status == .forbidden)
        }
        await fixture.store.close()
    }

    /// The `fuel_used` of a response: what an explanation's run must match.
    static func fuel(_ body: String) throws -> Int64 {
        let value = try JSONValue.parse(body)
        return try #require(value["fuel_used"]?.int64Value ?? value["replayed"]?["fuel_used"]?.int64Value)
    }
}
