import Foundation
import Hummingbird
import Spectral
import SpectralCatalog

/// The authoring intake and the predicate catalogue:
/// `POST /v1/predicates` (202 with the event id), `GET /v1/predicates/{name}`,
/// `GET /v1/predicates/{name}/schema`, `GET /v1/predicates/{name}/versions/{version}/impact`,
/// `GET /v1/authoring/{id}`, `POST /v1/predicates/{name}/activate` and `/rollback`.
struct PredicateRoutes {
    let server: Server

    func register(on router: Router<APIRequestContext>) {
        // Authoring and reading the catalogue need `author`; changing what is live, `admin`.
        let authoring = router.group().add(middleware: server.admitting(.author))
        authoring.get("v1/predicates") { _, _ in try await list() }
        authoring.post("v1/predicates") { request, context in try await submit(request, caller: context.caller) }
        authoring.post("v1/validate") { request, context in try await validate(request, caller: context.caller) }
        authoring.get("v1/predicates/:name") { _, context in try await show(try context.parameters.require("name")) }
        authoring.get("v1/predicates/:name/schema") { request, context in
            try await inputSchema(try context.parameters.require("name"), request)
        }
        authoring.get("v1/predicates/:name/versions/:version/impact") { _, context in
            try await impact(try context.parameters.require("name"), try context.parameters.require("version"))
        }
        authoring.get("v1/authoring/:eventId") { _, context in try await status(try context.parameters.require("eventId")) }
        let administering = router.group().add(middleware: server.admitting(.admin))
        administering.post("v1/predicates/:name/activate") { request, context in
            try await activate(try context.parameters.require("name"), request, caller: context.caller)
        }
        administering.post("v1/predicates/:name/rollback") { _, context in
            try await rollback(try context.parameters.require("name"), caller: context.caller)
        }
    }

    /// Checks what can be checked at once — declarations, parse, type check, cost bound,
    /// compile, verify — and writes the request to the outbox (one transaction); the worker
    /// runs the tests and publishes. A predicate that cannot be published is 422 now, with
    /// the diagnostics the worker would give, rather than 202 and a rejection later.
    /// The version goes live only for an `admin` caller (see `IntakePolicy`); the author
    /// recorded is the caller.
    func submit(_ request: Request, caller: Caller?) async throws -> Response {
        let definition = try await definition(of: request, caller: caller)
        let outcome = try await server.validations.run {
            await server.validator.validateOnLargeStack(source: definition.source, declarations: definition.declarations, tests: [],
                                                        returns: definition.returns)
        }
        if case .rejected(let diagnostics) = outcome {
            let first = diagnostics.first.map { diagnostic in
                let place = diagnostic.line.map { line in " at \(line):\(diagnostic.column ?? 1)" } ?? ""
                return "\(diagnostic.stage) error\(place): \(diagnostic.message)"
            } ?? "rejected"
            let more = diagnostics.count > 1 ? " (and \(diagnostics.count - 1) more in details)" : ""
            throw APIError(.unprocessableContent, code: "invalid_predicate", "'\(definition.name)' cannot be published: \(first)\(more)",
                           details: .object([("diagnostics", .array(diagnostics.map(\.jsonValue)))]))
        }
        let id = try await server.storeCall {
            try await server.store.submit(.predicateAuthored(definition), generation: server.configuration.generation)
        }
        return JSONResponse.make(.object([
            ("event_id", .number(JSONNumber(id))), ("status", .string("pending")),
            ("status_url", .string("/v1/authoring/\(id)")),
            ("author", .string(definition.author)), ("activate", .bool(definition.activate)),
        ]), status: .accepted)
    }

    /// Every check the worker runs, attached tests included, answered at once; nothing is
    /// written. 200 either way: the verdict is the answer.
    func validate(_ request: Request, caller: Caller?) async throws -> Response {
        let definition = try await definition(of: request, caller: caller)
        let outcome = try await server.validations.run {
            await server.validator.validateOnLargeStack(source: definition.source, declarations: definition.declarations,
                                                        tests: definition.tests, returns: definition.returns)
        }
        switch outcome {
        case .accepted(let accepted):
            return JSONResponse.make(.object([
                ("valid", .bool(true)),
                ("cost_bound", accepted.costBound.map { .number(JSONNumber($0)) } ?? .null),
                ("diagnostics", .array([])),
            ]))
        case .rejected(let diagnostics):
            return JSONResponse.make(.object([("valid", .bool(false)), ("diagnostics", .array(diagnostics.map(\.jsonValue)))]))
        }
    }

    func list() async throws -> Response {
        let predicates = try await server.storeCall { try await server.store.predicates() }
        return JSONResponse.make(.object([("predicates", .array(predicates.map(\.jsonValue)))]))
    }

    private func definition(of request: Request, caller: Caller?) async throws -> PredicateDefinition {
        let body = try await server.body(of: request)
        let json: JSONValue
        do {
            json = try JSONValue.parse(body, limits: server.jsonLimits)
        } catch {
            throw APIError.malformed("malformed JSON: \(error)")
        }
        let definition: PredicateDefinition
        do {
            definition = try PredicateDefinition(json: json)
        } catch {
            if error.isUnprocessable { throw APIError(.unprocessableContent, code: "invalid_mask", error.message) }
            throw APIError(.badRequest, code: "invalid_predicate_request", error.message)
        }
        return try IntakePolicy(caller: caller).apply(to: definition, requested: json)
    }

    func show(_ name: String) async throws -> Response {
        let versions = try await server.storeCall { try await server.store.versions(of: name) }
        guard !versions.isEmpty else { throw APIError.notFound("no predicate named '\(name)'") }
        let activations = try await server.storeCall { try await server.store.activations(of: name) }
        let active = versions.first(where: \.isActive)?.version
        let formatter = ISO8601DateFormatter()
        return JSONResponse.make(.object([
            ("name", .string(name)),
            ("active_version", active.map { .number(JSONNumber(Int64($0))) } ?? .null),
            ("versions", .array(versions.map(\.summaryJSON))),
            ("activations", .array(activations.map { event in
                .object([
                    ("version", .number(JSONNumber(Int64(event.version)))),
                    ("action", .string(event.action)),
                    ("actor", event.actor.map(JSONValue.string) ?? .null),
                    ("at", .string(formatter.string(from: event.at))),
                ])
            })),
        ]))
    }

    /// The JSON Schema of the decide input of the active version, or of `?version=N`
    /// (see `InputJSONSchema`); 404 as decide answers for the same reference.
    func inputSchema(_ name: String, _ request: Request) async throws -> Response {
        var version: Int?
        if let text = request.uri.queryParameters["version"] {
            guard let number = JSONNumber(String(text)), let valid = RequestFields.version(number) else {
                throw APIError.malformed("the version query parameter must be an integer from 1 to 2147483647")
            }
            version = valid
        }
        let stored = try await server.storeCall { try await server.store.predicate(name, version: version) }
        guard let stored else {
            if let version { throw APIError.notFound("predicate '\(name)' has no version \(version)") }
            throw APIError.notFound("no active predicate named '\(name)'")
        }
        return JSONResponse.make(InputJSONSchema.document(of: stored))
    }

    /// A version's impact report and whether its activation policy held it:
    /// `{"predicate", "version", "active", "held_reason", "impact"}` (null when the version
    /// was published with nothing to compare against).
    func impact(_ name: String, _ versionText: String) async throws -> Response {
        guard let number = JSONNumber(versionText), let version = RequestFields.version(number) else {
            throw APIError.malformed("the version must be an integer from 1 to 2147483647")
        }
        let stored = try await server.storeCall { try await server.store.predicate(name, version: version) }
        guard let stored else { throw APIError.notFound("predicate '\(name)' has no version \(version)") }
        return JSONResponse.make(.object([
            ("predicate", .string(stored.name)),
            ("version", .number(JSONNumber(Int64(stored.version)))),
            ("active", .bool(stored.isActive)),
            ("held_reason", stored.heldReason.map(JSONValue.string) ?? .null),
            ("impact", stored.impact?.jsonValue ?? .null),
            ("findings", stored.findings?.jsonValue ?? .null),
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

    /// Any version, a held one included (the route needs `admin`); recorded with the caller.
    func activate(_ name: String, _ request: Request, caller: Caller?) async throws -> Response {
        let body = try await server.body(of: request)
        guard let json = try? JSONValue.parse(body, limits: server.jsonLimits), let members = json.objectValue else {
            throw APIError.malformed("the body must be {\"version\": N}")
        }
        if let key = members.map(\.0).first(where: { $0 != "version" }) {
            throw RequestFields.unknown(key, in: "an activation", expected: ["version"])
        }
        guard case .number(let number)? = json["version"], let version = RequestFields.version(number) else {
            throw APIError.malformed(RequestFields.versionMessage)
        }
        try await server.storeCall { try await server.store.activate(name, version: version, by: caller?.id) }
        server.cache.invalidate(reference: name)
        return JSONResponse.make(.object([("name", .string(name)), ("active_version", .number(JSONNumber(Int64(version))))]))
    }

    func rollback(_ name: String, caller: Caller?) async throws -> Response {
        let version = try await server.storeCall { try await server.store.rollback(name, by: caller?.id) }
        server.cache.invalidate(reference: name)
        return JSONResponse.make(.object([("name", .string(name)), ("active_version", .number(JSONNumber(Int64(version))))]))
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
            ("returns", .string(returns)),
            // Every masked pointer, the listed and the schema-marked: what the log leaves out.
            ("mask", .array(inputMask.pointers.map { .string($0) })),
            ("log_sample", .number(logSample.value == logSample.value.rounded() ? JSONNumber(Int64(logSample.value))
                                       : JSONNumber(logSample.value) ?? JSONNumber(Int64(1)))),
            ("cost_bound", costBound.map { .number(JSONNumber($0)) } ?? .null),
            ("tests", .number(JSONNumber(Int64(tests.count)))),
            ("author", .string(author)),
            ("description", .string(description)),
            ("event_id", .number(JSONNumber(eventID))),
            ("created_at", .string(ISO8601DateFormatter().string(from: createdAt))),
        ])
    }
}
