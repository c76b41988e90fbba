import HTTPTypes
import Hummingbird
import HummingbirdTesting
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
}
