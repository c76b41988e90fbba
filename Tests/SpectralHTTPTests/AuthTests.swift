import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralStore
import SpectralTestSupport
import Testing

/// API keys: hashed at rest, scoped, rate-limited, revocable.
@Suite struct AuthTests {
    func issue(_ fixture: HTTPFixture, scopes: [String], rate: Double = 1000) async throws -> String {
        let (record, key) = APIKeyRecord.issue(name: "test", scopes: scopes, ratePerSecond: rate)
        try await fixture.store.insertAPIKey(record)
        #expect(!record.keyHash.contains(key) && record.matches(key) && !record.matches(key + "x"))
        return key
    }

    func decide(_ client: some TestClientProtocol, key: String?) async throws -> (status: HTTPResponse.Status, body: String, retryAfter: String?) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await client.execute(uri: "/v1/decide", method: .post, headers: headers,
                                        body: ByteBuffer(string: #"{"predicate": "t"}"#)) {
            ($0.status, String(buffer: $0.body), $0.headers[.retryAfter])
        }
    }

    /// Who changed the active version is recorded: the author of a publication that went
    /// live, the admin key that activated a version (a held one, say) or rolled back.
    @Test(arguments: TestBackend.allCases)
    func activationsAreRecordedWithWhoMadeThem(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.publish("t", "true")
        try await fixture.publish("t", "false", activate: false)
        let (record, admin) = APIKeyRecord.issue(name: "operator", scopes: ["admin"], ratePerSecond: 1000)
        try await fixture.store.insertAPIKey(record)
        let (authorRecord, author) = APIKeyRecord.issue(name: "author", scopes: ["author"], ratePerSecond: 1000)
        try await fixture.store.insertAPIKey(authorRecord)
        try await fixture.application(ServerConfiguration(port: 0)).test(.router) { client in
            func post(_ uri: String, _ body: String, key: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer \(key)", .contentType: "application/json"],
                                         body: ByteBuffer(string: body)) { $0.status }
            }
            #expect(try await post("/v1/predicates/t/activate", #"{"version": 2}"#, key: author) == .forbidden)
            #expect(try await post("/v1/predicates/t/activate", #"{"version": 2}"#, key: admin) == .ok)
            #expect(try await post("/v1/predicates/t/rollback", "", key: admin) == .ok)
            let shown = try await client.get("/v1/predicates/t", headers: [.authorization: "Bearer \(admin)"])
            let activations = try #require(try JSONValue.parse(shown.body)["activations"]?.arrayValue, "\(shown.body)")
            #expect(activations.map { "\($0["version"]?.int64Value ?? 0) \($0["action"]?.stringValue ?? "") \($0["actor"]?.stringValue ?? "null")" }
                == ["1 publish \(try await fixture.store.predicate("t", version: 1)?.author ?? "?")", "2 activate \(record.id)", "1 rollback \(record.id)"])
        }
        let stored = try await fixture.store.activations(of: "t")
        #expect(stored.map(\.actor) == [stored.first?.actor, record.id, record.id] && stored.count == 3)
        await fixture.store.close()
    }

    @Test(arguments: TestBackend.allCases)
    func keysAreCheckedScopedAndRevocable(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.publish("t", "true")
        let decider = try await issue(fixture, scopes: ["decide"])
        let admin = try await issue(fixture, scopes: ["admin"])
        var configuration = ServerConfiguration(port: 0)
        configuration.keyCacheLifetime = .zero
        try await fixture.application(configuration).test(.router) { client in
            #expect(errorCode(try await decide(client, key: nil).body) == "unauthenticated")
            #expect(try await decide(client, key: nil).status == .unauthorized)
            #expect(try await decide(client, key: "spk_000000000000_" + String(repeating: "0", count: 40)).status == .unauthorized)
            #expect(try await decide(client, key: "not-a-key").status == .unauthorized)
            #expect(try await decide(client, key: decider).status == .ok)
            #expect(try await decide(client, key: admin).status == .ok, "admin implies decide")
            let forbidden = try await client.get("/v1/predicates/t", headers: [.authorization: "Bearer \(decider)"])
            #expect(forbidden.status == .forbidden && errorCode(forbidden.body) == "forbidden")
            #expect(try await client.get("/v1/predicates/t", headers: [HTTPField.Name("X-API-Key")!: admin]).status == .ok)
            #expect(try await client.get("/health").body.contains(#""auth":"api_keys""#))

            try await fixture.store.revokeAPIKey(id: APIKeyRecord.id(of: decider)!)
            #expect(try await decide(client, key: decider).status == .unauthorized)
        }
        await fixture.store.close()
    }

    /// Review finding: a batch of 1,000 decisions counted as one request, so batching
    /// multiplied a key's rate by the batch size. Now each decision takes a token.
    @Test func aBatchCostsOneRequestPerDecision() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.publish("t", "true")
        let key = try await issue(fixture, scopes: ["decide"], rate: 10)
        try await fixture.application(ServerConfiguration(port: 0)).test(.router) { client in
            let inputs = Array(repeating: "{}", count: 30).joined(separator: ", ")
            let batch = try await client.execute(uri: "/v1/decide/batch", method: .post,
                                                 headers: [.contentType: "application/json", .authorization: "Bearer \(key)"],
                                                 body: ByteBuffer(string: #"{"predicate": "t", "inputs": [\#(inputs)]}"#)) { $0 }
            #expect(batch.status == .ok, "admitted on the token it found")
            let next = try await decide(client, key: key)
            #expect(next.status == .tooManyRequests)
            // 30 decisions from a bucket of 10 at 10/s: about 2 s of debt to wait out.
            #expect(Int(next.retryAfter ?? "") ?? 0 >= 2, "\(String(describing: next.retryAfter))")
        }
        await fixture.store.close()
    }

    @Test func rateLimitsAnswer429WithRetryAfter() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.publish("t", "true")
        let slow = try await issue(fixture, scopes: ["decide"], rate: 1)
        try await fixture.application(ServerConfiguration(port: 0)).test(.router) { client in
            // Eight at once against one a second: however slow a loaded machine makes each
            // request, they arrive together, so most find the bucket empty.
            let responses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let response = try await decide(client, key: slow)
                        return (response.status, response.retryAfter)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.contains { $0.0 == .ok })
            let limited = responses.filter { $0.0 == .tooManyRequests }
            #expect(limited.count >= 4, "\(responses)")
            #expect(limited.allSatisfy { $0.1 == "1" }, "\(limited)")
        }
        await fixture.store.close()
    }
}
