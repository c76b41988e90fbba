import Foundation
import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralTestSupport
import Testing

/// Reading the decision log over HTTP, on both stores: one decision by id, pages by
/// cursor, filters, every refusal, and the `audit` scope (a `decide` key reads nothing).
@Suite struct DecisionRoutesTests {
    func issue(_ fixture: HTTPFixture, scopes: [String]) async throws -> String {
        let (record, key) = APIKeyRecord.issue(name: "test", scopes: scopes, ratePerSecond: 1000)
        try await fixture.store.insertAPIKey(record)
        return key
    }

    /// Three decisions a millisecond apart (so they list in a known order): two of `big`,
    /// one decided and one failed, and one of `small`.
    static func records() -> [DecisionRecord] {
        let base: UInt64 = 1_765_000_000_000
        func id(_ offset: UInt64) -> DecisionID { DecisionID(milliseconds: base + offset, randA: 1, randB: 0x8000_0000_0000_0001) }
        return [
            DecisionRecord(id: id(0), predicate: "big", version: 1, input: #"{"amount": 250}"#, outcome: .decided(json: "true"),
                           fuel: 4, latencyMicroseconds: 12, caller: "key-1", generation: 3),
            DecisionRecord(id: id(1), predicate: "big", version: 2, input: #"{"amount": "x"}"#, outcome: .failed(code: "invalid_input"),
                           fuel: 0, latencyMicroseconds: 3, caller: nil, generation: 3),
            DecisionRecord(id: id(2), predicate: "small", version: 1, input: "{}", outcome: .decided(json: "2.5"),
                           fuel: 2, latencyMicroseconds: 5, caller: "jwt:ada", generation: 4),
        ]
    }

    @Test(arguments: TestBackend.allCases)
    func decisionsAreReadByIDAndByPage(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        let records = Self.records()
        try await fixture.store.append(records)
        let audit = try await issue(fixture, scopes: ["audit"])
        let decide = try await issue(fixture, scopes: ["decide"])
        try await fixture.application(ServerConfiguration(port: 0)).test(.router) { client in
            func get(_ uri: String, key: String? = nil) async throws -> (status: HTTPResponse.Status, body: String) {
                try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(key ?? audit)"]) {
                    ($0.status, String(buffer: $0.body))
                }
            }
            let ids = records.map(\.id.text)
            let first = try await get("/v1/decisions/\(ids[0])")
            #expect(first.status == .ok)
            #expect(first.body == #"{"decision_id":"\#(ids[0])","created_at":"2025-12-06T05:46:40Z","predicate":"big","version":1,"input":{"amount":250},"decision":true,"fuel_used":4,"latency_us":12,"caller":"key-1","generation":3}"#)
            let failed = try await get("/v1/decisions/\(ids[1])")
            #expect(failed.body.contains(#""input":{"amount":"x"},"error_code":"invalid_input","fuel_used":0"#) && failed.body.contains(#""caller":null"#))

            // Newest first, two a page, the cursor leading on to the last.
            let page1 = try await get("/v1/decisions?limit=2")
            #expect(page1.status == .ok)
            #expect(page1.body.hasPrefix(#"{"decisions":[{"decision_id":"\#(ids[2])""#))
            #expect(page1.body.contains(#"{"decision_id":"\#(ids[1])""#) && !page1.body.contains(ids[0]))
            #expect(page1.body.hasSuffix(#"],"next_cursor":"\#(ids[1])"}"#))
            let page2 = try await get("/v1/decisions?limit=2&cursor=\(ids[1])")
            #expect(page2.body.hasPrefix(#"{"decisions":[{"decision_id":"\#(ids[0])""#) && page2.body.hasSuffix(#"],"next_cursor":null}"#))

            let small = try await get("/v1/decisions?predicate=small")
            #expect(small.body.contains(ids[2]) && !small.body.contains(ids[0]) && !small.body.contains(ids[1]))
            let version2 = try await get("/v1/decisions?predicate=big&version=2")
            #expect(version2.body.contains(ids[1]) && !version2.body.contains(ids[0]))
            let later = try await get("/v1/decisions?since=2025-12-06T05:46:40.002Z")
            #expect(later.body.contains(ids[2]) && !later.body.contains(ids[1]))
            let earlier = try await get("/v1/decisions?until=2025-12-06T05:46:40.001Z")
            #expect(earlier.body.contains(ids[0]) && !earlier.body.contains(ids[1]))

            // Outcomes: decided or failed, a decided boolean, one error code.
            func listed(_ query: String) async throws -> [String] {
                let answer = try await get("/v1/decisions?\(query)")
                #expect(answer.status == .ok, "\(query): \(answer.body)")
                guard case .array(let decisions)? = (try? JSONValue.parse(answer.body))?["decisions"] else { return ["unparsed"] }
                return decisions.compactMap { $0["decision_id"]?.stringValue }
            }
            #expect(try await listed("outcome=failed") == [ids[1]])
            #expect(try await listed("outcome=decided") == [ids[2], ids[0]])
            #expect(try await listed("outcome=true") == [ids[0]])
            #expect(try await listed("outcome=false") == [])
            #expect(try await listed("outcome=invalid_input") == [ids[1]])
            #expect(try await listed("outcome=fuel_exhausted") == [])
            #expect(try await listed("outcome=decided&predicate=big&limit=1") == [ids[0]])

            // Refusals: each names what was wrong.
            let refused: [(String, HTTPResponse.Status, String)] = [
                ("/v1/decisions/not-a-uuid", .badRequest, "a decision id is a UUID"),
                ("/v1/decisions/\(DecisionID(milliseconds: 1, randA: 0, randB: 0).text)", .notFound, "is logged"),
                ("/v1/decisions?limit=0", .badRequest, "'limit' must be an integer from 1 to 500"),
                ("/v1/decisions?limit=501", .badRequest, "'limit' must be an integer from 1 to 500"),
                ("/v1/decisions?cursor=x", .badRequest, "'cursor' must be the next_cursor of a page"),
                ("/v1/decisions?version=2", .unprocessableContent, "'version' needs 'predicate'"),
                ("/v1/decisions?since=yesterday", .unprocessableContent, "'since' must be an RFC 3339 time"),
                ("/v1/decisions?predicate=no%20spaces", .badRequest, "'predicate' is not a predicate name"),
                ("/v1/decisions?outcome=Failed", .badRequest, "'outcome' must be decided, failed, true, false or an error code"),
                ("/v1/decisions?outcome=", .badRequest, "'outcome' must be decided, failed, true, false or an error code"),
                ("/v1/decisions?outcome=decided%3Btrue", .badRequest, "'outcome' must be"),
            ]
            for (uri, status, message) in refused {
                let answer = try await get(uri)
                #expect(answer.status == status, "\(uri): \(answer.body)")
                #expect(answer.body.contains(message), "\(uri): \(answer.body)")
            }
            // A decide key reads no decisions: logged inputs are the callers' data.
            #expect(try await get("/v1/decisions", key: decide).status == .forbidden)
            #expect(try await get("/v1/decisions/\(ids[0])", key: decide).status == .forbidden)
        }
        await fixture.store.close()
    }
}
