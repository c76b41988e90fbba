import Foundation
import Hummingbird
import SpectralCatalog
import SpectralJSON

/// The outbox for operators (the console's outbox view): `GET /v1/outbox` (this
/// generation's backlog: pending, dead, the oldest pending event's age),
/// `GET /v1/outbox/dead?limit=` (the dead-lettered events of every generation, newest
/// first, never their payloads) and `POST /v1/outbox/{eventId}/requeue` (a dead event back
/// to pending, its attempts reset, as `spectral outbox requeue` does). All need `admin`.
/// Kept minimal: the store's own `backlog`, `deadEvents` and `requeue`.
struct OutboxRoutes {
    let server: Server

    func register(on router: Router<APIRequestContext>) {
        let administering = router.group().add(middleware: server.admitting(.admin))
        administering.get("v1/outbox") { _, _ in try await backlog() }
        administering.get("v1/outbox/dead") { request, _ in try await dead(request) }
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

    /// At most this many dead events are listed (`limit`), 50 unless asked.
    static let maxDeadLimit = 200
    static let defaultDeadLimit = 50

    /// `{"events": [{"event_id", "generation", "topic", "attempts", "last_error", "created_at"}]}`,
    /// newest first. The payload is never shown: it may hold input that a mask keeps out of
    /// the decision log. `last_error` is at most 500 characters, null when none was recorded.
    func dead(_ request: Request) async throws -> Response {
        var limit = Self.defaultDeadLimit
        if let text = request.uri.queryParameters["limit"] {
            guard let asked = Int(String(text)), (1...Self.maxDeadLimit).contains(asked) else {
                throw APIError.malformed("'limit' must be an integer from 1 to \(Self.maxDeadLimit)")
            }
            limit = asked
        }
        let events = try await server.storeCall { try await server.store.deadEvents(limit: limit) }
        let formatter = ISO8601DateFormatter()
        return JSONResponse.make(.object([
            ("events", .array(events.map { event in
                JSONValue.object([
                    ("event_id", .number(JSONNumber(event.id))),
                    ("generation", .number(JSONNumber(event.generation))),
                    ("topic", .string(event.topic)),
                    ("attempts", .number(JSONNumber(Int64(event.attempts)))),
                    // Bounded by the store already; again here, whatever store answers.
                    ("last_error", event.lastError.map { JSONValue.string(DeadLetter.bounded($0)) } ?? .null),
                    ("created_at", .string(formatter.string(from: event.createdAt))),
                ])
            })),
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
