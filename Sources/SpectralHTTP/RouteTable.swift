import HTTPTypes
import Synchronization

/// The routes the router serves, by path template and method: what lets an unserved
/// method on a known path answer 405 with `Allow` instead of 404, and what tests compare
/// the OpenAPI document against. Filled once, after registration.
final class RouteTable: Sendable {
    private let routes = Mutex<[(template: [Substring], method: HTTPRequest.Method)]>([])

    func load(_ routes: [(path: String, method: HTTPRequest.Method)]) {
        self.routes.withLock { $0 = routes.map { (Self.segments($0.path), $0.method) } }
    }

    /// The methods served at `path` (a concrete request path), sorted; empty when none.
    /// Where templates overlap (`/v1/authoring/tasks` and `/v1/authoring/{eventId}`), the
    /// router takes the one with a constant earliest, whatever the method: only its
    /// methods are served at the path.
    func methods(at path: String) -> [HTTPRequest.Method] {
        let segments = Self.segments(path)
        let methods = routes.withLock { routes in
            let matching = routes.filter { Self.matches($0.template, segments) }
            guard let chosen = matching.map({ Self.constants($0.template) }).max(by: { $0.lexicographicallyPrecedes($1) }) else {
                return [HTTPRequest.Method]()
            }
            return matching.filter { Self.constants($0.template) == chosen }.map(\.method)
        }
        return Set(methods.map(\.rawValue)).sorted().compactMap { HTTPRequest.Method($0) }
    }

    /// 1 for each constant segment, 0 for each parameter: the router's preference, read
    /// left to right.
    private static func constants(_ template: [Substring]) -> [Int] { template.map { $0.hasPrefix("{") ? 0 : 1 } }

    /// `(path, method)` of every route, paths as Hummingbird and OpenAPI write them (`/v1/predicates/{name}`).
    /// The console's pages are left out: they are a client of the API, not part of it.
    var openAPIRoutes: [(path: String, method: String)] {
        routes.withLock { routes in
            routes.filter { $0.template.first != "console" }.map { route in
                ("/" + route.template.joined(separator: "/"), route.method.rawValue.lowercased())
            }
        }
    }

    private static func segments(_ path: String) -> [Substring] { path.split(separator: "/") }

    private static func matches(_ template: [Substring], _ segments: [Substring]) -> Bool {
        template.count == segments.count && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
}
