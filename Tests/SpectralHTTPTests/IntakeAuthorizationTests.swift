import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralStore
import SpectralTestSupport
import SpectralWorker
import Testing

/// Who may change what is live (review finding: an `author` key published `adult@2` =
/// `true || …` through the intake, whose `activate` defaulted to true, and it went live;
/// and the recorded author was free text from the request).
@Suite struct IntakeAuthorizationTests {
    func issue(_ fixture: HTTPFixture, scopes: [String]) async throws -> String {
        let (record, key) = APIKeyRecord.issue(name: "test", scopes: scopes, ratePerSecond: 1000)
        try await fixture.store.insertAPIKey(record)
        return key
    }

    func post(_ client: some TestClientProtocol, _ uri: String, key: String, _ json: String) async throws -> (status: HTTPResponse.Status, body: String) {
        try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json", .authorization: "Bearer \(key)"],
                                 body: ByteBuffer(string: json)) { ($0.status, String(buffer: $0.body)) }
    }

    func handleNext(_ fixture: HTTPFixture) async throws {
        let handler = PredicateAuthoredHandler()
        _ = try await fixture.store.claimNext(generation: 1) { event in (handler.name, try handler.handle(event)) }
    }

    @Test(arguments: TestBackend.allCases)
    func anAuthorKeyPublishesInactiveVersionsUnderItsOwnName(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.publish("adult", "user.age >= 18", declarations: ["user": "map(string, dyn)"])
        let author = try await issue(fixture, scopes: ["author", "decide"])
        let admin = try await issue(fixture, scopes: ["admin"])
        let authorID = try #require(APIKeyRecord.id(of: author))
        let adminID = try #require(APIKeyRecord.id(of: admin))
        try await fixture.application(ServerConfiguration(port: 0)).test(.router) { client in
            let attack = #"{"name": "adult", "source": "true || user.age >= 18", "declarations": {"user": "map(string, dyn)"}}"#
            let accepted = try await post(client, "/v1/predicates", key: author, attack)
            #expect(accepted.status == .accepted)
            #expect(accepted.body.hasSuffix(#","author":"\#(authorID)","activate":false}"#), "\(accepted.body)")
            try await handleNext(fixture)
            let minor = #"{"predicate": "adult", "input": {"user": {"age": 12}}}"#
            #expect(try await post(client, "/v1/decide", key: author, minor).body.hasPrefix(#"{"predicate":"adult","version":1,"decision":false,"#),
                    "version 2 was published but must not be live")
            let catalogue = try await client.get("/v1/predicates/adult", headers: [.authorization: "Bearer \(admin)"])
            #expect(catalogue.body.contains(#""active_version":1"#))
            #expect(catalogue.body.contains(#""author":"\#(authorID)""#))

            let asked = try await post(client, "/v1/predicates", key: author, #"{"name": "adult", "source": "true", "activate": true}"#)
            #expect(asked.status == .forbidden)
            #expect(asked.body == #"{"error":{"code":"forbidden","message":"activating needs the 'admin' scope: submit with \"activate\": false (the default for this caller) and have an admin activate the version"}}"#)
            let forged = try await post(client, "/v1/predicates", key: author, #"{"name": "adult", "source": "true", "author": "admin@example.com"}"#)
            #expect(forged.status == .badRequest)
            #expect(forged.body == #"{"error":{"code":"invalid_predicate_request","message":"\"author\" is set from your credentials (\#(authorID)); leave it out"}}"#)
            #expect(try await post(client, "/v1/predicates/adult/activate", key: author, #"{"version": 2}"#).status == .forbidden)

            // An admin's submission goes live by default, recorded under the admin's key.
            let live = try await post(client, "/v1/predicates", key: admin, #"{"name": "adult", "source": "user.age >= 21", "declarations": {"user": "map(string, dyn)"}}"#)
            #expect(live.body.hasSuffix(#","author":"\#(adminID)","activate":true}"#), "\(live.body)")
            try await handleNext(fixture)
            let young = #"{"predicate": "adult", "input": {"user": {"age": 19}}}"#
            // The program cache learns of the new active version by notification, which on
            // PostgreSQL arrives a moment after the publication (1 run in 3 saw version 1 still):
            // ask until it has, for up to 10 s.
            var answer = ""
            for _ in 0..<100 {
                answer = try await post(client, "/v1/decide", key: author, young).body
                if !answer.hasPrefix(#"{"predicate":"adult","version":1,"#) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(answer.hasPrefix(#"{"predicate":"adult","version":3,"decision":false,"#), "\(answer)")
        }
        await fixture.store.close()
    }

    @Test func validationNeitherRecordsNorAcceptsAnAuthor() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        let author = try await issue(fixture, scopes: ["author"])
        try await fixture.application(ServerConfiguration(port: 0)).test(.router) { client in
            let forged = try await post(client, "/v1/validate", key: author, #"{"name": "x", "source": "true", "author": "someone else"}"#)
            #expect(forged.status == .badRequest && errorCode(forged.body) == "invalid_predicate_request")
            #expect(try await post(client, "/v1/validate", key: author, #"{"name": "x", "source": "true", "activate": true}"#).status == .forbidden)
            #expect(try await post(client, "/v1/validate", key: author, #"{"name": "x", "source": "true"}"#).body.hasPrefix(#"{"valid":true"#))
        }
        await fixture.store.close()
    }
}
