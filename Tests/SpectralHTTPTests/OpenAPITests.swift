import Foundation
import HummingbirdTesting
import Spectral
import SpectralHTTP
import SpectralTestSupport
import Testing

/// The OpenAPI document: served as committed, valid JSON, and describing exactly the routes served.
@Suite struct OpenAPITests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/SpectralHTTP/openapi.json")

    @Test func servedDocumentIsTheCommittedOne() async throws {
        let committed = try String(contentsOf: Self.file, encoding: .utf8)
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.application().test(.router) { client in
            let served = try await client.get("/openapi.json")
            #expect(served.status == .ok)
            #expect(served.body == committed)
            let document = try JSONValue.parse(served.body)
            #expect(document["openapi"] == .string("3.1.0"))
            // Exactly the router's routes, method by method: nothing served undocumented,
            // nothing documented unserved.
            let documented = try #require(document["paths"]?.objectValue).flatMap { path, operations in
                (operations.objectValue ?? []).map { "\($0.0.uppercased()) \(path)" }
            }
            let routes = servedRoutes(configuration: ServerConfiguration(port: 0), store: fixture.store, logger: fixture.logger)
                .map { "\($0.method.uppercased()) \($0.path)" }
            #expect(Set(documented) == Set(routes), "documented only: \(Set(documented).subtracting(routes)); served only: \(Set(routes).subtracting(documented))")
            #expect(routes.count == 29)
        }
        await fixture.store.close()
    }

    /// The typed-input contract is documented: a declaration may be a JSON Schema object,
    /// and a decide input that does not fit is a 422 `invalid_input` naming JSON pointers.
    @Test func documentsSchemaDeclarationsAndInvalidInput() throws {
        let document = try JSONValue.parse(try String(contentsOf: Self.file, encoding: .utf8))
        let unprocessable = document["paths"]?["/v1/decide"]?["post"]?["responses"]?["422"]
        #expect(unprocessable?["$ref"] == .string("#/components/responses/Error"))
        #expect(unprocessable?["description"]?.stringValue?.hasPrefix("invalid_input:") == true)
        let request = try #require(document["components"]?["schemas"]?.objectValue?.first { $0.1["properties"]?["declarations"] != nil }?.1)
        let kinds = request["properties"]?["declarations"]?["additionalProperties"]?["oneOf"]?.arrayValue?.compactMap { $0["type"]?.stringValue }
        #expect(kinds == ["string", "object"])
        // The catalogue shows declarations the same two ways, and each predicate's input
        // schema has a route of its own (the document itself stays static).
        let version = document["components"]?["schemas"]?["Predicate"]?["properties"]?["versions"]?["items"]
        #expect(version?["properties"]?["declarations"]?["additionalProperties"]?["oneOf"]?.arrayValue?.compactMap { $0["type"]?.stringValue } == ["string", "object"])
        #expect(version?["required"]?.arrayValue?.contains(.string("returns")) == true)
        let schema = document["paths"]?["/v1/predicates/{name}/schema"]?["get"]
        #expect(schema?["responses"]?["200"]?["content"]?["application/json"]?["schema"]?["$ref"] == .string("#/components/schemas/InputSchemaDocument"))
    }
}
