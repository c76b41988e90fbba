/// `openapi.json`, the document `/openapi.json` serves, compiled into the binary by
/// SwiftPM (`.embedInCode`): nothing to install beside it. `OpenAPITests` hold it to the
/// router's routes, and schemathesis holds the server to it.
enum OpenAPIDocument {
    static var bytes: [UInt8] { PackageResources.openapi_json }
}
