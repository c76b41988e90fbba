import HTTPTypes
import Hummingbird

/// The operations console: `GET /console/` (the page) and `GET /console/{asset}` (its
/// modules and style sheet), hand-written files compiled into the binary (`Console/`,
/// `.embedInCode`), so a deployment has nothing to install and no CDN to trust. Open like
/// `/health`: the page holds no data; everything it shows comes from the public API with
/// the signed-in key, under that key's scopes.
struct ConsoleRoutes {
    let server: Server

    func register(on router: Router<APIRequestContext>) {
        let open = router.group().add(middleware: server.admitting(nil))
        // Hummingbird matches `/console` and `/console/` alike; the page names its assets by
        // absolute path, so both work.
        open.get("console") { _, _ in try Self.response(for: "index.html") }
        open.get("console/:asset") { _, context in try Self.response(for: try context.parameters.require("asset")) }
    }

    /// The asset's bytes with its content type and the headers every console response
    /// carries; 404 for a name that is not one of the files (never a path into anything).
    static func response(for name: String) throws -> Response {
        guard let asset = ConsoleAssets.all[name] else {
            throw APIError.notFound("no console asset '\(name.prefix(64))'")
        }
        var headers = securityHeaders
        headers[.contentType] = asset.contentType
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }

    /// A strict policy: scripts and styles from this origin only (no inline script, no
    /// style attributes), requests to this origin only, never framed. Predicate sources
    /// and names are attacker-controlled; the modules build the DOM with `textContent`,
    /// and this policy is the second line if one ever did not.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    static var securityHeaders: HTTPFields {
        [
            HTTPField.Name("Content-Security-Policy")!: contentSecurityPolicy,
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
        ]
    }
}
