import Foundation

/// `openapi.json`, the document `/openapi.json` serves: a resource of this target, read
/// once. `OpenAPITests` hold it to the router's routes, and schemathesis holds the
/// server to it.
enum OpenAPIDocument {
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            return Array(#"{"error":{"code":"internal","message":"the OpenAPI document is missing from this build"}}"#.utf8)
        }
        return [UInt8](data)
    }()
}
