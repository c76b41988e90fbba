/// The console's files (`Console/`, compiled in by SwiftPM's `.embedInCode`), by the name
/// the page asks for. Listed by hand: a file is served only if it is named here, with the
/// content type its kind needs (modules must be JavaScript, or the browser refuses them
/// under `nosniff`).
enum ConsoleAssets {
    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
    }

    private static let html = "text/html; charset=utf-8"
    private static let css = "text/css; charset=utf-8"
    private static let js = "text/javascript; charset=utf-8"

    static let all: [String: Asset] = [
        "index.html": Asset(bytes: PackageResources.index_html, contentType: html),
        "console.css": Asset(bytes: PackageResources.console_css, contentType: css),
        "app.js": Asset(bytes: PackageResources.app_js, contentType: js),
        "api.js": Asset(bytes: PackageResources.api_js, contentType: js),
        "dom.js": Asset(bytes: PackageResources.dom_js, contentType: js),
        "predicates.js": Asset(bytes: PackageResources.predicates_js, contentType: js),
        "predicate.js": Asset(bytes: PackageResources.predicate_js, contentType: js),
        "tasks.js": Asset(bytes: PackageResources.tasks_js, contentType: js),
        "decisions.js": Asset(bytes: PackageResources.decisions_js, contentType: js),
        "outbox.js": Asset(bytes: PackageResources.outbox_js, contentType: js),
        "health.js": Asset(bytes: PackageResources.health_js, contentType: js),
    ]
}
