import Foundation
import HummingbirdTesting
import Spectral
import SpectralTestSupport
import Testing

/// The OpenAPI document: served as committed, valid JSON, and covering every route.
@Suite struct OpenAPITests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("infra/api/openapi.json")

    @Test func servedDocumentIsTheCommittedOne() async throws {
        let committed = try String(contentsOf: Self.file, encoding: .utf8)
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.application().test(.router) { client in
            let served = try await client.get("/openapi.json")
            #expect(served.status == .ok)
            #expect(served.body + "\n" == committed, "run infra/api/embed.sh")
            let document = try JSONValue.parse(served.body)
            #expect(document["openapi"] == .string("3.1.0"))
            let paths = try #require(document["paths"]?.objectValue).map(\.0)
            for route in ["/v1/decide", "/v1/decide/batch", "/v1/predicates", "/v1/predicates/{name}", "/v1/predicates/{name}/activate",
                          "/v1/predicates/{name}/rollback", "/v1/authoring/{eventId}", "/health", "/metrics", "/openapi.json"] {
                #expect(paths.contains(route), "\(route) undocumented")
            }
        }
        await fixture.store.close()
    }
}
