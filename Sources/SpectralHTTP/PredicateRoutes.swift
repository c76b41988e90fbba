import Foundation
import Hummingbird
import Spectral
import SpectralCatalog

/// The authoring intake and the predicate catalogue:
/// `POST /v1/predicates` (202 with the event id), `GET /v1/predicates/{name}`,
/// `GET /v1/authoring/{id}`, `POST /v1/predicates/{name}/activate` and `/rollback`.
struct PredicateRoutes {
    let server: Server

    func register(on router: Router<APIRequestContext>) {
        // Authoring and reading the catalogue need `author`; changing what is live, `admin`.
        let authoring = router.group().add(middleware: server.requiring(.author))
        authoring.post("v1/predicates") { request, _ in try await submit(request) }
        authoring.get("v1/predicates/:name") { _, context in try await show(try context.parameters.require("name")) }
        authoring.get("v1/authoring/:eventId") { _, context in try await status(try context.parameters.require("eventId")) }
        let administering = router.group().add(middleware: server.requiring(.admin))
        administering.post("v1/predicates/:name/activate") { request, context in
            try await activate(try context.parameters.require("name"), request)
        }
        administering.post("v1/predicates/:name/rollback") { _, context in try await rollback(try context.parameters.require("name")) }
    }

    /// Writes the request to the outbox (one transaction); the worker validates it.
    func submit(_ request: Request) async throws -> Response {
        let body = try await server.body(of: request)
        let authoring: PredicateDefinition
        do {
            authoring = try PredicateDefinition(json: try JSONValue.parse(body, limits: server.jsonLimits))
        } catch let error as PredicateDefinitionError {
            throw APIError(.badRequest, code: "invalid_predicate_request", error.message)
        } catch {
            throw APIError.malformed("malformed JSON: \(error)")
        }
        let id = try await storeCall {
            try await server.store.submit(.predicateAuthored(authoring), generation: server.configuration.generation)
        }
        return JSONResponse.make(.object([
            ("event_id", .number(JSONNumber(id))), ("status", .string("pending")),
            ("status_url", .string("/v1/authoring/\(id)")),
        ]), status: .accepted)
    }

    func show(_ name: String) async throws -> Response {
        let versions = try await storeCall { try await server.store.versions(of: name) }
        guard !versions.isEmpty else { throw APIError.notFound("no predicate named '\(name)'") }
        let active = versions.first(where: \.isActive)?.version
        return JSONResponse.make(.object([
            ("name", .string(name)),
            ("active_version", active.map { .number(JSONNumber(Int64($0))) } ?? .null),
            ("versions", .array(versions.map(\.summaryJSON))),
        ]))
    }

    func status(_ idText: String) async throws -> Response {
        guard let id = Int64(idText) else { throw APIError.malformed("the event id must be an integer") }
        do {
            let status = try await server.store.status(ofEvent: id)
            return JSONResponse.make(status.jsonValue(eventID: id))
        } catch StoreError.unknownEvent {
            throw APIError.notFound("no authoring event \(id)")
        } catch {
            throw APIError.storeUnavailable(error)
        }
    }

    func activate(_ name: String, _ request: Request) async throws -> Response {
        let body = try await server.body(of: request)
        guard let json = try? JSONValue.parse(body, limits: server.jsonLimits), let version = json["version"]?.int64Value,
              version > 0, version <= Int64(Int32.max) else {
            throw APIError.malformed("the body must be {\"version\": N}")
        }
        try await storeCall { try await server.store.activate(name, version: Int(version)) }
        server.cache.invalidate(reference: name)
        return JSONResponse.make(.object([("name", .string(name)), ("active_version", .number(JSONNumber(version)))]))
    }

    func rollback(_ name: String) async throws -> Response {
        let version = try await storeCall { try await server.store.rollback(name) }
        server.cache.invalidate(reference: name)
        return JSONResponse.make(.object([("name", .string(name)), ("active_version", .number(JSONNumber(Int64(version))))]))
    }

    /// Store errors as API errors: unknown names 404, a rollback with nothing before 409,
    /// anything else (the database is down) 503.
    private func storeCall<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            switch error {
            case .unknownPredicate, .unknownVersion, .unknownEvent: throw APIError.notFound(error.description)
            case .nothingToRollBack: throw APIError(.conflict, code: "nothing_to_roll_back", error.description)
            default: throw APIError.storeUnavailable(error)
            }
        } catch {
            throw APIError.storeUnavailable(error)
        }
    }
}

extension PredicateVersion {
    /// A version as the API lists it: everything but the bytecode.
    var summaryJSON: JSONValue {
        .object([
            ("version", .number(JSONNumber(Int64(version)))),
            ("active", .bool(isActive)),
            ("source", .string(source)),
            ("declarations", PredicateDefinition.declarationsJSON(declarations)),
            ("cost_bound", costBound.map { .number(JSONNumber($0)) } ?? .null),
            ("tests", .number(JSONNumber(Int64(tests.count)))),
            ("author", .string(author)),
            ("description", .string(description)),
            ("event_id", .number(JSONNumber(eventID))),
            ("created_at", .string(ISO8601DateFormatter().string(from: createdAt))),
        ])
    }
}
