import Hummingbird
import SpectralCatalog
import SpectralJSON

/// The outbox for operators (the console's outbox view): `GET /v1/outbox` (this
/// generation's backlog: pending, dead, the oldest pending event's age) and
/// `POST /v1/outbox/{eventId}/requeue` (a dead event back to pending, its attempts reset,
/// as `spectral outbox requeue` does). Both need `admin`. Kept minimal: the store's own
/// `backlog` and `requeue`, nothing new below them.
struct OutboxRoutes {
    let server: Server

    func register(on router: Router<APIRequestContext>) {
        let administering = router.group().add(middleware: server.admitting(.admin))
        administering.get("v1/outbox") { _, _ in try await backlog() }
        administering.post("v1/outbox/:eventId/requeue") { _, context in try await requeue(try context.parameters.require("eventId")) }
    }

    func backlog() async throws -> Response {
        let generation = server.configuration.generation
        let backlog = try await server.storeCall { try await server.store.backlog(generation: generation) }
        return JSONResponse.make(.object([
            ("generation", .number(JSONNumber(generation))),
            ("pending", .number(JSONNumber(Int64(backlog.pending)))),
            ("dead", .number(JSONNumber(Int64(backlog.dead)))),
            ("oldest_pending_age_seconds", JSONNumber(backlog.oldestPendingAge).map(JSONValue.number) ?? .null),
        ]))
    }

    /// 200 `{"event_id", "status": "pending"}`; 404 when no dead event has that id (the
    /// store requeues dead events only).
    func requeue(_ text: String) async throws -> Response {
        guard let id = Int64(text), id > 0 else { throw APIError.malformed("an outbox event id is a positive integer") }
        do {
            try await server.store.requeue(eventID: id)
        } catch StoreError.unknownEvent {
            throw APIError.notFound("no dead outbox event \(id): only a dead-lettered event can be requeued")
        } catch {
            throw APIError.storeUnavailable(error)
        }
        return JSONResponse.make(.object([("event_id", .number(JSONNumber(id))), ("status", .string("pending"))]))
    }
}
