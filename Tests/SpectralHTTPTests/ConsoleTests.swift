import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralTestSupport
import Testing

/// The console (`/console/`) and the outbox endpoints it reads, driven without sockets.
@Suite struct ConsoleTests {
    static let csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    static let assets = [
        ("/console/", "text/html; charset=utf-8"), ("/console", "text/html; charset=utf-8"),
        ("/console/index.html", "text/html; charset=utf-8"), ("/console/console.css", "text/css; charset=utf-8"),
        ("/console/app.js", "text/javascript; charset=utf-8"), ("/console/api.js", "text/javascript; charset=utf-8"),
        ("/console/dom.js", "text/javascript; charset=utf-8"), ("/console/predicates.js", "text/javascript; charset=utf-8"),
        ("/console/predicate.js", "text/javascript; charset=utf-8"), ("/console/tasks.js", "text/javascript; charset=utf-8"),
        ("/console/decisions.js", "text/javascript; charset=utf-8"), ("/console/outbox.js", "text/javascript; charset=utf-8"),
        ("/console/health.js", "text/javascript; charset=utf-8"),
    ]

    /// Every asset with its content type and the security headers, without a key even when
    /// keys are on (the page holds no data); an unknown asset is 404, as is a path out.
    @Test func servesEveryAssetWithItsTypeAndTheSecurityHeaders() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.application(ServerConfiguration(port: 0)).test(.router) { client in
            for (path, type) in Self.assets {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers[.contentType] == type, "\(path)")
                    #expect(response.headers[HTTPField.Name("Content-Security-Policy")!] == Self.csp, "\(path)")
                    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(path)")
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(path)")
                    #expect(response.body.readableBytes > 100, "\(path)")
                }
            }
            let page = try await client.get("/console/")
            #expect(page.body.contains(#"<script type="module" src="/console/app.js"></script>"#))
            // The page has no inline script or style for the policy to refuse.
            #expect(!page.body.contains("<script>") && !page.body.contains("style="))
            for path in ["/console/nope.js", "/console/..%2Fopenapi.json", "/console/Package.swift", "/console/openapi.json"] {
                let missing = try await client.get(path)
                #expect(missing.status == .notFound, "\(path): \(missing.status)")
                #expect(errorCode(missing.body) == "not_found", "\(path)")
            }
        }
        await fixture.store.close()
    }

    /// No module writes data through innerHTML (the sources are checked as shipped).
    @Test func noModuleUsesInnerHTML() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.application().test(.router) { client in
            for (path, _) in Self.assets where path.hasSuffix(".js") {
                let module = try await client.get(path).body
                #expect(!module.contains("innerHTML") && !module.contains("outerHTML") && !module.contains("insertAdjacentHTML")
                        && !module.contains("document.write") && !module.contains("eval("), "\(path)")
            }
        }
        await fixture.store.close()
    }

    /// `GET /v1/outbox` counts this generation's backlog; requeue takes dead events only;
    /// both need admin.
    @Test func outboxBacklogAndRequeue() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        // Two events: one dead-lettered (its one attempt failed), one pending.
        let dead = try await fixture.store.submit(topic: "predicate.authored", payload: "{}", generation: 1)
        let claim = try #require(try await fixture.store.claim(generation: 1, lease: .seconds(60), maxAttempts: 1).claim)
        _ = try await fixture.store.recordFailure(claim, error: "boom", retryAfter: .zero, maxAttempts: 1)
        let pending = try await fixture.store.submit(topic: "predicate.authored", payload: "{}", generation: 1)
        let (adminRecord, admin) = APIKeyRecord.issue(name: "admin", scopes: ["admin"], ratePerSecond: 1000)
        let (authorRecord, author) = APIKeyRecord.issue(name: "author", scopes: ["author"], ratePerSecond: 1000)
        try await fixture.store.insertAPIKey(adminRecord)
        try await fixture.store.insertAPIKey(authorRecord)
        try await fixture.application(ServerConfiguration(port: 0)).test(.router) { client in
            let backlog = try await client.get("/v1/outbox", headers: [.authorization: "Bearer \(admin)"])
            #expect(backlog.status == .ok)
            #expect(backlog.body.hasPrefix(#"{"generation":1,"pending":1,"dead":1,"oldest_pending_age_seconds":"#), "\(backlog.body)")
            #expect(try await client.get("/v1/outbox", headers: [.authorization: "Bearer \(author)"]).status == .forbidden)
            try await client.execute(uri: "/v1/outbox/\(pending)/requeue", method: .post, headers: [.authorization: "Bearer \(admin)"]) { response in
                // Pending, not dead: nothing to requeue.
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/outbox/\(dead)/requeue", method: .post, headers: [.authorization: "Bearer \(admin)"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"event_id":\#(dead),"status":"pending"}"#)
            }
            #expect(try await client.get("/v1/outbox", headers: [.authorization: "Bearer \(admin)"]).body
                .hasPrefix(#"{"generation":1,"pending":2,"dead":0,"#))
            try await client.execute(uri: "/v1/outbox/x/requeue", method: .post, headers: [.authorization: "Bearer \(admin)"]) { response in
                #expect(response.status == .badRequest)
            }
        }
        await fixture.store.close()
    }

    /// `GET /v1/outbox/dead`: the dead letters of every generation, newest first, their last
    /// errors cut to 500 characters and their payloads never shown; admin only.
    @Test(arguments: TestBackend.allCases)
    func deadLettersNewestFirstWithoutPayloads(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        let store = fixture.store
        let secret = "payload-secret-\(UInt64.random(in: 0...UInt64.max))"
        /// Submits an event of `generation` and dead-letters it on its first failed attempt.
        func deadLetter(_ topic: String, generation: Int64, error: String) async throws -> Int64 {
            let id = try await store.submit(topic: topic, payload: #"{"secret": "\#(secret)"}"#, generation: generation)
            let claim = try #require(try await store.claim(generation: generation, lease: .seconds(60), maxAttempts: 1).claim)
            #expect(claim.event.id == id)
            _ = try await store.recordFailure(claim, error: error, retryAfter: .zero, maxAttempts: 1)
            return id
        }
        let older = try await deadLetter("test.one", generation: 1, error: "boom")
        let long = String(repeating: "é", count: 600)
        let newer = try await deadLetter("test.two", generation: 2, error: long)
        _ = try await store.submit(topic: "test.one", payload: "{}", generation: 1)  // pending: not listed
        let (adminRecord, admin) = APIKeyRecord.issue(name: "admin", scopes: ["admin"], ratePerSecond: 1000)
        let (auditRecord, auditor) = APIKeyRecord.issue(name: "audit", scopes: ["audit", "author"], ratePerSecond: 1000)
        try await store.insertAPIKey(adminRecord)
        try await store.insertAPIKey(auditRecord)
        let cut = JSONValue.string(String(repeating: "é", count: 500)).serialized()
        let newerItem = #"{"event_id":\#(newer),"generation":2,"topic":"test.two","attempts":1,"last_error":\#(cut),"created_at":"TIME"}"#
        let olderItem = #"{"event_id":\#(older),"generation":1,"topic":"test.one","attempts":1,"last_error":"boom","created_at":"TIME"}"#
        try await fixture.application(ServerConfiguration(port: 0)).test(.router) { client in
            let listed = try await client.get("/v1/outbox/dead", headers: [.authorization: "Bearer \(admin)"])
            #expect(listed.status == .ok)
            #expect(masked(listed.body) == #"{"events":[\#(newerItem),\#(olderItem)]}"#, "\(listed.body)")
            #expect(!listed.body.contains(secret) && !listed.body.contains("payload"))
            let one = try await client.get("/v1/outbox/dead?limit=1", headers: [.authorization: "Bearer \(admin)"])
            #expect(masked(one.body) == #"{"events":[\#(newerItem)]}"#)
            for query in ["limit=0", "limit=201", "limit=x", "limit="] {
                let refused = try await client.get("/v1/outbox/dead?\(query)", headers: [.authorization: "Bearer \(admin)"])
                #expect(refused.status == .badRequest, "\(query)")
                #expect(refused.body == #"{"error":{"code":"malformed_request","message":"'limit' must be an integer from 1 to 200"}}"#)
            }
            #expect(try await client.get("/v1/outbox/dead", headers: [.authorization: "Bearer \(auditor)"]).status == .forbidden)
            #expect(try await client.get("/v1/outbox/dead").status == .unauthorized)

            // Requeued, it leaves the list.
            try await client.execute(uri: "/v1/outbox/\(newer)/requeue", method: .post, headers: [.authorization: "Bearer \(admin)"]) { response in
                #expect(response.status == .ok)
            }
            let after = try await client.get("/v1/outbox/dead", headers: [.authorization: "Bearer \(admin)"])
            #expect(masked(after.body) == #"{"events":[\#(olderItem)]}"#)
        }
        await store.close()
    }
}
