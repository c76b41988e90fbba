import Hummingbird
import Spectral

/// `GET /health`, `GET /metrics` and `GET /openapi.json` (`openapi.json`, a resource).
struct OperationsRoutes {
    let server: Server

    func register(on router: Router<APIRequestContext>) {
        // Open to all: no scope, but the body (if any) is still read before answering.
        let open = router.group().add(middleware: server.admitting(nil))
        open.get("health") { _, _ in try await health() }
        open.get("metrics") { _, _ in try await metrics() }
        open.get("openapi.json") { _, _ in JSONResponse.make(bytes: OpenAPIDocument.bytes) }
    }

    /// 200 while the store answers, 503 otherwise; each feature's wiring.
    func health() async throws -> Response {
        let backlog = try? await server.store.backlog(generation: server.configuration.generation)
        let storeState = backlog == nil ? "degraded" : "wired"
        var features: [(String, JSONValue)] = [("store", .string(storeState)), ("outbox", .string(storeState))]
        var errors: [(String, JSONValue)] = []
        for probe in server.probes {
            let status = await probe.status()
            features.append((probe.feature, .string(status.state.rawValue)))
            if let detail = status.detail { errors.append(("\(probe.feature)_error", .string(detail))) }
        }
        let body = JSONValue.object([
            ("status", .string(backlog == nil ? "degraded" : "ok")),
            ("version", .string(server.configuration.version)),
            ("generation", .number(JSONNumber(server.configuration.generation))),
            ("store", .string(server.store.backend)),
            ("features", .object(features)),
            ("auth", .string(server.auth.mode == .off ? "off: embedded demo mode" : "api_keys")),
        ] + errors)
        return JSONResponse.make(body, status: backlog == nil ? .serviceUnavailable : .ok)
    }

    func metrics() async throws -> Response {
        let backlog = try? await server.store.backlog(generation: server.configuration.generation)
        let exposition = server.metrics.render(cacheSize: server.cache.count, outboxPending: backlog?.pending,
                                               outboxLagSeconds: backlog?.oldestPendingAge)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: exposition)))
    }
}
