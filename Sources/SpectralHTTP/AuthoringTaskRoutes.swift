import Foundation
import HTTPTypes
import Hummingbird
import SpectralCatalog
import SpectralJSON

/// Authoring tasks: an intent the worker's agent turns into a predicate.
/// `POST /v1/authoring/tasks` (202), `GET /v1/authoring/tasks?status=&limit=&cursor=`
/// (the tasks, newest first, a page at a time), `GET /v1/authoring/tasks/{id}` (the summary),
/// `DELETE /v1/authoring/tasks/{id}` (cancel), `POST /v1/authoring/tasks/{id}/messages`
/// (a follow-up: the next turn), `GET /v1/authoring/tasks/{id}/events` (Server-Sent Events).
///
/// The API only records: the task, its `queued` event and its `authoring.requested`
/// message go to the store in one transaction; the agent runs in the worker. So a server
/// whose workers have no model (`authoringAgent` off) refuses new work with 503 before
/// parsing or storing anything, instead of accepting a task nothing will run.
struct AuthoringTaskRoutes {
    let server: Server

    func register(on router: Router<APIRequestContext>) {
        // Starting and steering work needs `author`; reading a task, `author` or `audit`.
        let authoring = router.group().add(middleware: server.admitting(.author))
        authoring.post("v1/authoring/tasks") { request, context in try await create(request, caller: context.caller) }
        authoring.delete("v1/authoring/tasks/:taskId") { _, context in try await cancel(try context.parameters.require("taskId")) }
        authoring.post("v1/authoring/tasks/:taskId/messages") { request, context in
            try await followUp(try context.parameters.require("taskId"), request)
        }
        let reading = router.group().add(middleware: server.admitting(anyOf: [.author, .audit]))
        reading.get("v1/authoring/tasks") { request, _ in try await list(request) }
        reading.get("v1/authoring/tasks/:taskId") { _, context in try await show(try context.parameters.require("taskId")) }
        reading.get("v1/authoring/tasks/:taskId/events") { request, context in
            try await events(try context.parameters.require("taskId"), request, context: context)
        }
    }

    /// Validates the task as `AuthoringTaskRequest` does — on a large stack, under the
    /// validation gate, since it compiles the declarations and binds every example — and
    /// stores it, recorded under the caller.
    func create(_ request: Request, caller: Caller?) async throws -> Response {
        try requireAgent()
        let json = try await bodyJSON(request)
        let parsed = try await server.validations.run {
            await LargeStackThread.value { Result { () throws(PredicateDefinitionError) in try AuthoringTaskRequest(json: json) } }
        }
        let task: AuthoringTaskRequest
        switch parsed {
        case .success(let value): task = value
        case .failure(let error):
            if error.isUnprocessable { throw APIError(.unprocessableContent, code: "invalid_task", error.message) }
            throw APIError(.badRequest, code: "invalid_task_request", error.message)
        }
        let id = UUID().uuidString.lowercased()
        let record = try await server.storeCall {
            try await server.store.createAuthoringTask(id: id, name: task.name, request: task.jsonValue.serialized(),
                                                       owner: caller?.id ?? IntakePolicy.demoAuthor,
                                                       generation: server.configuration.generation)
        }
        return accepted(record)
    }

    /// A page holds at most this many tasks (`limit`), 50 unless asked.
    static let maxLimit = 200
    static let defaultLimit = 50

    /// `{"tasks": [{"task_id", "name", "status", "turn", "detail"?, "created_at",
    /// "updated_at"}], "next_cursor"}`: newest first, `status` only when asked; the cursor is
    /// the last task id of the page before (a task id that names no task gives an empty page).
    func list(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var status: AuthoringTaskStatus?
        if let text = query["status"] {
            guard let asked = AuthoringTaskStatus(rawValue: String(text)) else {
                throw APIError.malformed("'status' must be one of \(AuthoringTaskStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = asked
        }
        var limit = Self.defaultLimit
        if let text = query["limit"] {
            guard let asked = Int(String(text)), (1...Self.maxLimit).contains(asked) else {
                throw APIError.malformed("'limit' must be an integer from 1 to \(Self.maxLimit)")
            }
            limit = asked
        }
        var cursor: String?
        if let text = query["cursor"] {
            guard text.utf8.count == 36, let uuid = UUID(uuidString: String(text)) else {
                throw APIError.malformed("'cursor' must be the next_cursor of a page")
            }
            cursor = uuid.uuidString.lowercased()
        }
        // One more than the page: whether there is a next one.
        let found = try await server.storeCall { try await server.store.authoringTasks(status: status, limit: limit + 1, before: cursor) }
        let page = found.prefix(limit)
        let formatter = ISO8601DateFormatter()
        let tasks: [JSONValue] = page.map { task in
            var members: [(String, JSONValue)] = [
                ("task_id", .string(task.id)),
                ("name", .string(task.name)),
                ("status", .string(task.status.rawValue)),
                ("turn", .number(JSONNumber(Int64(task.turn)))),
            ]
            if let detail = task.detail { members.append(("detail", .string(detail))) }
            members += [
                ("created_at", .string(formatter.string(from: task.createdAt))),
                ("updated_at", .string(formatter.string(from: task.updatedAt))),
            ]
            return .object(members)
        }
        return JSONResponse.make(.object([
            ("tasks", .array(tasks)),
            ("next_cursor", found.count > limit ? page.last.map { JSONValue.string($0.id) } ?? .null : .null),
        ]))
    }

    func show(_ idText: String) async throws -> Response {
        JSONResponse.make(try await summary(try await task(idText)).jsonValue)
    }

    /// A queued task is cancelled at once (its verdict written); a running one is marked,
    /// and its agent stops at its next step. 202 either way, with the summary.
    func cancel(_ idText: String) async throws -> Response {
        let id = try Self.taskID(idText)
        let record = try await server.storeCall { try await server.store.requestAuthoringCancel(id: id) }
        guard let record else { throw Self.unknown(id) }
        return JSONResponse.make(try await summary(record).jsonValue, status: .accepted)
    }

    /// The next turn of a finished task; 409 while its turn runs.
    func followUp(_ idText: String, _ request: Request) async throws -> Response {
        try requireAgent()
        let id = try Self.taskID(idText)
        let message = try AuthoringFollowUp(json: try await bodyJSON(request))
        let record = try await server.storeCall {
            try await server.store.appendAuthoringMessage(taskID: id, text: message.text, generation: server.configuration.generation)
        }
        guard let record else { throw Self.unknown(id) }
        return accepted(record)
    }

    /// The task's events as Server-Sent Events, after `Last-Event-ID` (or `?after=N`, for
    /// clients that cannot set headers; the header wins, as a reconnecting client sends
    /// both). An unknown task is 404 at once; past `maxEventStreams` open, 503.
    func events(_ idText: String, _ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try Self.taskID(idText)
        let after = try Self.resumeAfter(request)
        _ = try await task(id)
        guard let slot = server.eventStreams.acquire() else {
            throw APIError(.serviceUnavailable, code: "too_many_streams",
                           "\(server.eventStreams.capacity) event streams are open; retry shortly or poll \(AuthoringTaskSummary.statusURL(id))",
                           retryAfterSeconds: 5)
        }
        let configuration = server.configuration
        let stream = AuthoringEventStream(store: server.store, taskID: id, after: after, lifetime: configuration.eventStreamLifetime,
                                          pollInterval: configuration.eventStreamPollInterval, keepAlive: configuration.eventStreamKeepAlive,
                                          channel: context.channel, slot: slot, logger: server.logger)
        return Response(status: .ok, headers: [
            .contentType: "text/event-stream", .cacheControl: "no-store",
            // nginx and its kind buffer responses unless told not to.
            HTTPField.Name("X-Accel-Buffering")!: "no",
        ], body: stream.responseBody)
    }

    // MARK: - Pieces

    private func requireAgent() throws {
        guard server.configuration.authoringAgent else {
            throw APIError(.serviceUnavailable, code: "authoring_agent_off",
                           "authoring tasks are off: no model is configured for this deployment's agent (SPECTRAL_LLM_BASE_URL); submit a predicate with POST /v1/predicates instead")
        }
    }

    private func bodyJSON(_ request: Request) async throws -> JSONValue {
        let body = try await server.body(of: request)
        do {
            return try JSONValue.parse(body, limits: server.jsonLimits)
        } catch {
            throw APIError.malformed("malformed JSON: \(error)")
        }
    }

    private func task(_ idText: String) async throws -> AuthoringTaskRecord {
        let id = try Self.taskID(idText)
        let record = try await server.storeCall { try await server.store.authoringTask(id: id) }
        guard let record else { throw Self.unknown(id) }
        return record
    }

    private func summary(_ record: AuthoringTaskRecord) async throws -> AuthoringTaskSummary {
        let messages = try await server.storeCall { try await server.store.authoringMessages(taskID: record.id) }
        let checkpoints = try await server.storeCall { try await server.store.authoringCheckpoints(taskID: record.id) }
        return AuthoringTaskSummary(task: record, messages: messages, checkpoints: checkpoints)
    }

    /// `{"task_id", "status", "turn", "status_url", "events_url"}`, 202, `Location` the status.
    private func accepted(_ record: AuthoringTaskRecord) -> Response {
        var response = JSONResponse.make(.object([
            ("task_id", .string(record.id)),
            ("status", .string(record.status.rawValue)),
            ("turn", .number(JSONNumber(Int64(record.turn)))),
            ("status_url", .string(AuthoringTaskSummary.statusURL(record.id))),
            ("events_url", .string(AuthoringTaskSummary.eventsURL(record.id))),
        ]), status: .accepted)
        response.headers[.location] = AuthoringTaskSummary.statusURL(record.id)
        return response
    }

    /// A task id is a UUID, stored in lower case; anything else names no task (404, and
    /// never sent to the store). The text is not echoed: it is the caller's, unbounded.
    static func taskID(_ text: String) throws -> String {
        guard text.utf8.count == 36, let uuid = UUID(uuidString: text) else {
            throw APIError(.notFound, code: "unknown_task", "no such authoring task: a task id is a UUID such as 0b5e2a8c-3f43-4d4a-9c1e-6a1f1f0f7d21")
        }
        return uuid.uuidString.lowercased()
    }

    static func unknown(_ id: String) -> APIError {
        APIError(.notFound, code: "unknown_task", "no authoring task \(id)")
    }

    /// The sequence to resume after: `Last-Event-ID`, else `?after=`, else 0 (everything).
    /// Each is checked when sent, the one that does not count too: a malformed parameter
    /// is the client's mistake either way.
    static func resumeAfter(_ request: Request) throws -> Int64 {
        var after: Int64?
        if let text = request.uri.queryParameters["after"] {
            guard let value = Int64(String(text)), value >= 0 else {
                throw APIError.malformed("'after' must be the id of an event of this stream: an integer from 0")
            }
            after = value
        }
        if let header = request.headers[HTTPField.Name("Last-Event-ID")!] {
            guard let value = Int64(header), value >= 0 else {
                throw APIError.malformed("Last-Event-ID must be the id of an event of this stream: an integer from 0")
            }
            return value
        }
        return after ?? 0
    }
}
