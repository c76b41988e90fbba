import Hummingbird
import Spectral
import SpectralStore

/// `GET /health`, `GET /metrics` and `GET /openapi.json` (infra/api/openapi.json).
struct OperationsRoutes {
    let server: Server

    func register(on router: Router<BasicRequestContext>) {
        router.get("health") { _, _ in try await health() }
        router.get("metrics") { _, _ in try await metrics() }
        router.get("openapi.json") { _, _ in JSONResponse.make(bytes: Array(EmbeddedOpenAPI.document.utf8)) }
    }

    /// 200 while the store answers, 503 otherwise; each feature's wiring.
    func health() async throws -> Response {
        let backlog = try? await server.store.backlog(generation: server.configuration.generation)
        let storeState = backlog == nil ? "degraded" : "wired"
        let llm = await server.llm.status()
        let body = JSONValue.object([
            ("status", .string(backlog == nil ? "degraded" : "ok")),
            ("version", .string(server.configuration.version)),
            ("generation", .number(JSONNumber(server.configuration.generation))),
            ("store", .string(server.store.backend)),
            ("features", .object([
                ("store", .string(storeState)),
                ("outbox", .string(storeState)),
                ("llm", .string(llm.state.rawValue)),
            ])),
            ("auth", .string(server.auth.mode == .off ? "off: embedded demo mode" : "api_keys")),
        ] + (llm.detail.map { [("llm_error", JSONValue.string($0))] } ?? []))
        return JSONResponse.make(body, status: backlog == nil ? .serviceUnavailable : .ok)
    }

    func metrics() async throws -> Response {
        let backlog = try? await server.store.backlog(generation: server.configuration.generation)
        let text = server.metrics.render(cacheSize: server.cache.count, outboxPending: backlog?.pending,
                                         outboxLagSeconds: backlog?.oldestPendingAge)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
