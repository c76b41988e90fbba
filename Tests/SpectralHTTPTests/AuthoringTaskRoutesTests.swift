import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralStore
import SpectralTestSupport
import Testing

/// Authoring tasks over the API: intake, summary, cancel, follow-ups, and the event stream,
/// driven without sockets. The agent is not here: the tests write what it would (status,
/// checkpoints, events) through the repository.
// Serialized, as the store's authoring tests are: fresh PostgreSQL databases one at a time.
// Runs on its own after the suite, as the process tests do (`.ci/run`): its workers, lanes,
// streams and scripted servers poll on timers, and beside the whole suite on two cores they
// pushed timing-bound tests (theirs and others') past their limits in CI.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["SPECTRAL_PROCESS_TESTS"] == "1",
                "runs alone: SPECTRAL_PROCESS_TESTS=1 swift test --filter AuthoringTaskRoutesTests"))
struct AuthoringTaskRoutesTests {
    static let task = #"{"name": "adult", "intent": "Adults are 18 or older", "declarations": {"age": "int"}, "examples": [{"input": {"age": 20}, "expect": true}]}"#
    static let storedRequest = #"{"name":"adult","intent":"Adults are 18 or older","declarations":{"age":"int"},"examples":[{"input":{"age":20},"expect":true}],"description":"","rounds":5,"max_tokens":50000,"max_seconds":300}"#
    static let accepted = #"{"task_id":"ID","status":"queued","turn":1,"status_url":"/v1/authoring/tasks/ID","events_url":"/v1/authoring/tasks/ID/events"}"#

    /// Authentication off, the agent on, streams polling quickly.
    static func agentOn(authentication: Authenticator.Mode = .off) -> ServerConfiguration {
        var configuration = ServerConfiguration(port: 0, authentication: authentication)
        configuration.authoringAgent = true
        configuration.eventStreamPollInterval = .milliseconds(20)
        return configuration
    }

    @Test(arguments: TestBackend.allCases)
    func acceptsATaskWithItsQueuedEventAndOutboxMessage(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.application(Self.agentOn()).test(.router) { client in
            let response = try await client.send("/v1/authoring/tasks", method: .post, Self.task)
            #expect(response.status == .accepted)
            #expect(masked(response.body) == Self.accepted)
            let id = try #require(try JSONValue.parse(response.body)["task_id"]?.stringValue)
            #expect(response.headers[.location] == "/v1/authoring/tasks/\(id)")
            #expect(id == id.lowercased() && UUID(uuidString: id) != nil)

            let stored = try #require(try await fixture.store.authoringTask(id: id))
            #expect(stored.status == .queued && stored.turn == 1 && stored.name == "adult" && !stored.cancelRequested)
            #expect(stored.owner == "demo (unauthenticated)")
            #expect(stored.request == Self.storedRequest)
            let events = try await fixture.store.authoringEvents(taskID: id, after: 0, limit: 100)
            #expect(events.map(\.kind) == ["queued"] && events.map(\.turn) == [1])
            let claim = try #require(try await fixture.store.claim(generation: 1, adoptingAfter: nil, lease: .seconds(60), maxAttempts: 5,
                                                                    topics: .only([OutboxMessage.Topic.authoringRequested])).claim)
            #expect(claim.event.topic == "authoring.requested")
            #expect(claim.event.payload == #"{"task_id":"\#(id)","turn":1}"#)

            let summary = try await client.get("/v1/authoring/tasks/\(id)")
            #expect(summary.status == .ok)
            #expect(masked(summary.body) == #"{"task_id":"ID","name":"adult","status":"queued","turn":1,"cancel_requested":false,"created_at":"TIME","updated_at":"TIME","request":\#(Self.storedRequest),"messages":[],"rounds":[],"usage":{"prompt_tokens":0,"completion_tokens":0},"events_url":"/v1/authoring/tasks/ID/events"}"#)
            // The id is the store's key in lower case; upper case names the same task.
            #expect(try await client.get("/v1/authoring/tasks/\(id.uppercased())").body == summary.body)

            // An integer written 3.0 is an integer, as the document's JSON Schema says.
            let decimal = try await client.send("/v1/authoring/tasks", method: .post, #"{"name": "adult", "intent": "Adults", "rounds": 3.0, "max_seconds": 6e1}"#)
            #expect(decimal.status == .accepted, "\(decimal.body)")
            let other = try #require(try JSONValue.parse(decimal.body)["task_id"]?.stringValue)
            #expect(try await fixture.store.authoringTask(id: other)?.request.contains(#""rounds":3,"max_tokens":50000,"max_seconds":60"#) == true)
        }
        await fixture.store.close()
    }

    @Test func refusesATaskThatCannotSucceedBeforeStoringIt() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        let ageAsText = #"{"name": "adult", "intent": "Adults", "declarations": {"age": "int"}, "examples": [{"input": {"age": "20"}, "expect": true}]}"#
        try await fixture.application(Self.agentOn()).test(.router) { client in
            let unknown = try await client.send("/v1/authoring/tasks", method: .post, #"{"name": "adult", "intent": "Adults", "exampels": []}"#)
            #expect(unknown.status == .badRequest)
            #expect(unknown.body == #"{"error":{"code":"invalid_task_request","message":"unknown field 'exampels' in the task; did you mean 'examples'? (fields: name, intent, declarations, examples, description, rounds, max_tokens, max_seconds, activation, mask)"}}"#)

            // The example can never pass, whatever the model writes: refused now, in
            // `AuthoringTaskRequest`'s words, not after spending tokens.
            let unfit = try await client.send("/v1/authoring/tasks", method: .post, ageAsText)
            #expect(unfit.status == .unprocessableContent)
            let message = try #require(Self.refusal(ageAsText))
            #expect(message.hasPrefix("test 1: the input does not fit the declarations: ") && message.contains("age"), "\(message)")
            #expect(unfit.body == JSONValue.object([("error", .object([("code", "invalid_task"), ("message", .string(message))]))]).serialized())

            let cases: [(String, HTTPResponse.Status, String)] = [
                (#"{"name": "adult", "intent": "#, .badRequest, "malformed_request"),
                (#"["adult"]"#, .badRequest, "invalid_task_request"),
                (#"{"name": "adult"}"#, .badRequest, "invalid_task_request"),
                (#"{"name": "9adult", "intent": "x"}"#, .badRequest, "invalid_task_request"),
                (#"{"name": "adult", "intent": " \n\t "}"#, .badRequest, "invalid_task_request"),
                (#"{"name": "adult", "intent": "x", "rounds": 11}"#, .badRequest, "invalid_task_request"),
                (#"{"name": "adult", "intent": "a\u0000b"}"#, .badRequest, "invalid_task_request"),
                (#"{"name": "adult", "intent": ""# + String(repeating: "é", count: 4097) + #""}"#, .unprocessableContent, "invalid_task"),
                (#"{"name": "adult", "intent": "x", "declarations": {"age": "integer"}}"#, .unprocessableContent, "invalid_task"),
                (#"{"name": "adult", "intent": "x", "mask": ["/a~2"]}"#, .unprocessableContent, "invalid_task"),
            ]
            for (body, status, code) in cases {
                let response = try await client.send("/v1/authoring/tasks", method: .post, body)
                #expect(response.status == status, "\(body.prefix(60)): \(response.body)")
                #expect(errorCode(response.body) == code, "\(body.prefix(60)): \(response.body)")
                if code != "malformed_request", let expected = Self.refusal(body) {
                    #expect(try JSONValue.parse(response.body)["error"]?["message"]?.stringValue == expected)
                }
            }
        }
        #expect(try await fixture.store.backlog(generation: 1).pending == 0, "nothing was stored")
        await fixture.store.close()
    }

    /// Without a model nothing would run a task: 503 before the body is read for meaning,
    /// and nothing stored. Reading, cancelling and streaming still answer.
    @Test func answers503WhenNoAgentIsConfigured() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        let off = #"{"error":{"code":"authoring_agent_off","message":"authoring tasks are off: no model is configured for this deployment's agent (SPECTRAL_LLM_BASE_URL); submit a predicate with POST /v1/predicates instead"}}"#
        let unknownID = "0b5e2a8c-3f43-4d4a-9c1e-6a1f1f0f7d21"
        try await fixture.application().test(.router) { client in
            for body in [Self.task, "{not json"] {
                let refused = try await client.send("/v1/authoring/tasks", method: .post, body)
                #expect(refused.status == .serviceUnavailable && refused.body == off)
            }
            let followUp = try await client.send("/v1/authoring/tasks/\(unknownID)/messages", method: .post, #"{"text": "more"}"#)
            #expect(followUp.status == .serviceUnavailable && followUp.body == off)
            let unknown = #"{"error":{"code":"unknown_task","message":"no authoring task \#(unknownID)"}}"#
            for (uri, method) in [("/v1/authoring/tasks/\(unknownID)", HTTPRequest.Method.get), ("/v1/authoring/tasks/\(unknownID)", .delete),
                                  ("/v1/authoring/tasks/\(unknownID)/events", .get)] {
                let response = try await client.send(uri, method: method)
                #expect(response.status == .notFound && response.body == unknown, "\(method) \(uri): \(response.body)")
            }
            // Not a UUID: no task, and the store is not asked.
            let malformed = try await client.send("/v1/authoring/tasks/x'%20OR%201=1/events", method: .get)
            #expect(malformed.status == .notFound && errorCode(malformed.body) == "unknown_task")
            // `/v1/authoring/tasks` serves GET (the list, which needs no agent) and POST;
            // `/v1/authoring/{eventId}` has GET too, but the router takes the constant
            // segment, and Allow says what it serves.
            let unserved = try await client.send("/v1/authoring/tasks", method: .put)
            #expect(unserved.status == .methodNotAllowed && unserved.headers[.allow] == "GET, POST", "\(unserved.body)")
            let listed = try await client.send("/v1/authoring/tasks", method: .get)
            #expect(listed.status == .ok && listed.body == #"{"tasks":[],"next_cursor":null}"#, "\(listed.body)")
        }
        #expect(try await fixture.store.backlog(generation: 1).pending == 0)
        await fixture.store.close()
    }

    @Test func scopes() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        func issue(_ scopes: [String]) async throws -> String {
            let (record, key) = APIKeyRecord.issue(name: "test", scopes: scopes, ratePerSecond: 1000)
            try await fixture.store.insertAPIKey(record)
            return key
        }
        let decider = try await issue(["decide"]), author = try await issue(["author"]), auditor = try await issue(["audit"])
        try await fixture.application(Self.agentOn(authentication: .apiKeys)).test(.router) { client in
            let refused = try await client.send("/v1/authoring/tasks", method: .post, Self.task, key: decider)
            #expect(refused.status == .forbidden)
            #expect(refused.body == #"{"error":{"code":"forbidden","message":"this key lacks the 'author' scope"}}"#)
            #expect(try await client.send("/v1/authoring/tasks", method: .post, Self.task).status == .unauthorized)

            let created = try await client.send("/v1/authoring/tasks", method: .post, Self.task, key: author)
            #expect(created.status == .accepted)
            let id = try #require(try JSONValue.parse(created.body)["task_id"]?.stringValue)
            #expect(try await fixture.store.authoringTask(id: id)?.owner == APIKeyRecord.id(of: author), "recorded under the caller")

            // The list reads as the summary does: author or audit.
            let unlisted = try await client.send("/v1/authoring/tasks", method: .get, key: decider)
            #expect(unlisted.status == .forbidden)
            #expect(unlisted.body == #"{"error":{"code":"forbidden","message":"this key lacks the 'author' or 'audit' scope"}}"#)
            #expect(try await client.send("/v1/authoring/tasks", method: .get).status == .unauthorized)
            for key in [author, auditor] {
                let listed = try await client.send("/v1/authoring/tasks", method: .get, key: key)
                #expect(listed.status == .ok && listed.body.contains(#""task_id":"\#(id)""#), "\(listed.body)")
            }

            let unread = try await client.send("/v1/authoring/tasks/\(id)", method: .get, key: decider)
            #expect(unread.status == .forbidden)
            #expect(unread.body == #"{"error":{"code":"forbidden","message":"this key lacks the 'author' or 'audit' scope"}}"#)
            #expect(try await client.send("/v1/authoring/tasks/\(id)/events", method: .get, key: decider).status == .forbidden)
            #expect(try await client.send("/v1/authoring/tasks/\(id)", method: .get, key: auditor).status == .ok)
            // Auditors read; only authors steer.
            #expect(try await client.send("/v1/authoring/tasks/\(id)", method: .delete, key: auditor).status == .forbidden)
            #expect(try await client.send("/v1/authoring/tasks/\(id)/messages", method: .post, #"{"text": "x"}"#, key: auditor).status == .forbidden)
            #expect(try await client.send("/v1/authoring/tasks/\(id)", method: .delete, key: author).status == .accepted)
            let stream = try await client.send("/v1/authoring/tasks/\(id)/events", method: .get, key: auditor)
            #expect(stream.status == .ok && stream.body.contains("event: verdict\n"))
        }
        await fixture.store.close()
    }

    /// The summary after the agent has worked: rounds from the checkpoints (what was
    /// proposed and found, never the prompts or answers), usage summed, the detail.
    @Test(arguments: TestBackend.allCases)
    func summarisesRoundsAndUsage(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.application(Self.agentOn()).test(.router) { client in
            let id = try await Self.create(client)
            let store = fixture.store
            try await store.setAuthoringStatus(id: id, .running, detail: nil)
            try await store.saveAuthoringCheckpoint(AuthoringCheckpoint(
                taskID: id, turn: 1, round: 1, sent: #"[{"role":"user","content":"a long prompt"}]"#, answer: "age > 18, I think",
                promptTokens: 900, completionTokens: 40, expression: "age > 18",
                diagnostics: #"[{"stage":"test","message":"test 1 expected true, got false"}]"#))
            try await store.saveAuthoringCheckpoint(AuthoringCheckpoint(
                taskID: id, turn: 1, round: 2, sent: "[]", answer: "no expression here", promptTokens: 1000, completionTokens: 10,
                expression: nil, diagnostics: "[]"))
            try await store.setAuthoringStatus(id: id, .published, detail: "adult@1")
            let summary = try await client.get("/v1/authoring/tasks/\(id)")
            #expect(summary.status == .ok)
            #expect(masked(summary.body) == #"{"task_id":"ID","name":"adult","status":"published","turn":1,"detail":"adult@1","cancel_requested":false,"created_at":"TIME","updated_at":"TIME","request":\#(Self.storedRequest),"messages":[],"rounds":[{"turn":1,"round":1,"expression":"age > 18","diagnostics":[{"stage":"test","message":"test 1 expected true, got false"}],"prompt_tokens":900,"completion_tokens":40},{"turn":1,"round":2,"diagnostics":[],"prompt_tokens":1000,"completion_tokens":10}],"usage":{"prompt_tokens":1900,"completion_tokens":50},"events_url":"/v1/authoring/tasks/ID/events"}"#)
            #expect(!summary.body.contains("a long prompt") && !summary.body.contains("I think"))

            let followed = try await client.send("/v1/authoring/tasks/\(id)/messages", method: .post, #"{"text": "Also 21 in the US"}"#)
            #expect(followed.status == .accepted)
            let next = try JSONValue.parse(try await client.get("/v1/authoring/tasks/\(id)").body)
            #expect(next["status"] == .string("queued") && next["turn"]?.int64Value == 2)
            #expect(next["messages"] == .array([.object([("turn", .number(JSONNumber(Int64(2)))), ("text", .string("Also 21 in the US"))])]))
        }
        await fixture.store.close()
    }

    /// `GET /v1/authoring/tasks`: short summaries, newest first (by creation time, then id),
    /// a page at a time; filtered by status; a malformed query is 400 and names the parameter.
    @Test(arguments: TestBackend.allCases)
    func listsTasksNewestFirstAPageAtATime(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.application(Self.agentOn()).test(.router) { client in
            let empty = #"{"tasks":[],"next_cursor":null}"#
            #expect(try await client.get("/v1/authoring/tasks").body == empty)
            var ids: [String] = []
            for _ in 0..<3 { ids.append(try await Self.create(client)) }
            try await fixture.store.setAuthoringStatus(id: ids[1], .failed, detail: "no expression passed in 5 rounds")
            var records: [AuthoringTaskRecord] = []
            for id in ids { records.append(try #require(try await fixture.store.authoringTask(id: id))) }
            // Tasks made in the same millisecond are ordered by id: the expectation is the store's order.
            let newest = records.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.map(\.id)
            func item(_ id: String) -> String {
                id == ids[1]
                    ? #"{"task_id":"ID","name":"adult","status":"failed","turn":1,"detail":"no expression passed in 5 rounds","created_at":"TIME","updated_at":"TIME"}"#
                    : #"{"task_id":"ID","name":"adult","status":"queued","turn":1,"created_at":"TIME","updated_at":"TIME"}"#
            }
            func listed(_ body: String) throws -> [String]? {
                try JSONValue.parse(body)["tasks"]?.arrayValue?.compactMap { $0["task_id"]?.stringValue }
            }

            let all = try await client.get("/v1/authoring/tasks")
            #expect(all.status == .ok)
            #expect(masked(all.body) == #"{"tasks":[\#(newest.map(item).joined(separator: ","))],"next_cursor":null}"#)
            #expect(try listed(all.body) == newest)
            // The request is not repeated in the list.
            #expect(!all.body.contains("intent"))

            let first = try await client.get("/v1/authoring/tasks?limit=2")
            #expect(try listed(first.body) == Array(newest.prefix(2)))
            #expect(try JSONValue.parse(first.body)["next_cursor"] == .string(newest[1]))
            let second = try await client.get("/v1/authoring/tasks?limit=2&cursor=\(newest[1])")
            #expect(second.status == .ok)
            #expect(masked(second.body) == #"{"tasks":[\#(item(newest[2]))],"next_cursor":null}"#)
            #expect(try listed(second.body) == [newest[2]])
            #expect(try await client.get("/v1/authoring/tasks?limit=2&cursor=\(newest[1].uppercased())").body == second.body)
            // A page that ends exactly at the last task has no next one.
            #expect(try JSONValue.parse(try await client.get("/v1/authoring/tasks?limit=3").body)["next_cursor"] == .null)

            let failed = try await client.get("/v1/authoring/tasks?status=failed")
            #expect(masked(failed.body) == #"{"tasks":[\#(item(ids[1]))],"next_cursor":null}"#)
            #expect(try listed(failed.body) == [ids[1]])
            #expect(try await client.get("/v1/authoring/tasks?status=published").body == empty)
            let queued = try await client.get("/v1/authoring/tasks?status=queued&limit=1")
            #expect(try listed(queued.body) == [newest.first { $0 != ids[1] }!])
            // A well-formed cursor that names no task: an empty page, not an error.
            #expect(try await client.get("/v1/authoring/tasks?cursor=0b5e2a8c-3f43-4d4a-9c1e-6a1f1f0f7d21").body == empty)

            let statuses = "queued, running, submitted, published, held, rejected, failed, cancelled"
            let refused: [(String, String)] = [
                ("status=done", "'status' must be one of \(statuses)"),
                ("status=", "'status' must be one of \(statuses)"),
                ("limit=0", "'limit' must be an integer from 1 to 200"),
                ("limit=201", "'limit' must be an integer from 1 to 200"),
                ("limit=x", "'limit' must be an integer from 1 to 200"),
                ("cursor=x", "'cursor' must be the next_cursor of a page"),
                ("cursor=\(ids[0])0", "'cursor' must be the next_cursor of a page"),
            ]
            for (query, message) in refused {
                let response = try await client.get("/v1/authoring/tasks?\(query)")
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.body == #"{"error":{"code":"malformed_request","message":"\#(message)"}}"#, "\(query): \(response.body)")
            }
        }
        await fixture.store.close()
    }

    @Test(arguments: TestBackend.allCases)
    func cancellingAQueuedTaskEndsItsTurn(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.application(Self.agentOn()).test(.router) { client in
            let id = try await Self.create(client)
            let cancelled = try await client.send("/v1/authoring/tasks/\(id)", method: .delete)
            #expect(cancelled.status == .accepted)
            let summary = try JSONValue.parse(cancelled.body)
            #expect(summary["task_id"] == .string(id) && summary["status"] == .string("cancelled"), "\(cancelled.body)")
            let events = try await fixture.store.authoringEvents(taskID: id, after: 0, limit: 100)
            #expect(events.map(\.kind) == ["queued", "verdict"])
            #expect(try JSONValue.parse(try #require(events.last).data)["verdict"] == .string("cancelled"))
            // The stream replays the turn and ends at its verdict.
            let stream = try await client.get("/v1/authoring/tasks/\(id)/events")
            #expect(stream.body == events.map(Self.frame).joined())
        }
        await fixture.store.close()
    }

    @Test(arguments: TestBackend.allCases)
    func followUpsWaitForTheTurnToEnd(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.application(Self.agentOn()).test(.router) { client in
            let id = try await Self.create(client)
            let busy = try await client.send("/v1/authoring/tasks/\(id)/messages", method: .post, #"{"text": "Also 21 in the US"}"#)
            #expect(busy.status == .conflict)
            #expect(busy.body == #"{"error":{"code":"task_busy","message":"authoring task \#(id) is queued: send a follow-up once its turn has finished"}}"#)

            let invalid: [(String, HTTPResponse.Status, String)] = [
                ("{}", .badRequest, #"{"error":{"code":"invalid_message","message":"\"text\" (a string) is required"}}"#),
                (#"{"text": 3}"#, .badRequest, #"{"error":{"code":"invalid_message","message":"\"text\" (a string) is required"}}"#),
                (#"{"text": " \n"}"#, .badRequest, #"{"error":{"code":"invalid_message","message":"the text is empty: say what to change"}}"#),
                (#"{"text": "a\u0000"}"#, .badRequest, #"{"error":{"code":"invalid_message","message":"the text contains the character U+0000"}}"#),
                (#"{"text": ""# + String(repeating: "x", count: 8193) + #""}"#, .unprocessableContent,
                 #"{"error":{"code":"invalid_message","message":"the text is 8193 bytes; at most 8192"}}"#),
                (#"{"txt": "x"}"#, .badRequest, #"{"error":{"code":"unknown_field","message":"unknown field 'txt' in a follow-up message; did you mean 'text'? (fields: text)"}}"#),
                (#"["x"]"#, .badRequest, #"{"error":{"code":"malformed_request","message":"the body must be {\"text\": \"...\"}"}}"#),
            ]
            for (body, status, expected) in invalid {
                let response = try await client.send("/v1/authoring/tasks/\(id)/messages", method: .post, body)
                #expect(response.status == status && response.body == expected, "\(body.prefix(40)): \(response.body)")
            }

            try await fixture.store.setAuthoringStatus(id: id, .failed, detail: "no expression passed in 5 rounds")
            let followed = try await client.send("/v1/authoring/tasks/\(id)/messages", method: .post, #"{"text": "Also 21 in the US"}"#)
            #expect(followed.status == .accepted)
            #expect(masked(followed.body) == Self.accepted.replacingOccurrences(of: #""turn":1"#, with: #""turn":2"#))
            #expect(followed.headers[.location] == "/v1/authoring/tasks/\(id)")
            let events = try await fixture.store.authoringEvents(taskID: id, after: 0, limit: 100)
            #expect(events.map(\.kind) == ["queued", "queued"] && events.map(\.turn) == [1, 2])
            #expect(try await client.send("/v1/authoring/tasks/0b5e2a8c-3f43-4d4a-9c1e-6a1f1f0f7d21/messages", method: .post, #"{"text": "x"}"#)
                .status == .notFound)
        }
        await fixture.store.close()
    }

    /// Events stored before the stream opens are replayed in order, framed one line each,
    /// and the stream ends after the turn's verdict; `Last-Event-ID: N` (or `?after=N`)
    /// resumes after N exactly; resuming after the verdict is an empty stream that ends.
    @Test(arguments: TestBackend.allCases)
    func streamReplaysAndResumes(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.application(Self.agentOn()).test(.router) { client in
            let id = try await Self.create(client)
            let store = fixture.store
            try await store.setAuthoringStatus(id: id, .running, detail: nil)
            try await store.appendAuthoringEvent(taskID: id, turn: 1, kind: .roundStarted, data: #"{"round":1,"max_rounds":5}"#)
            // Model text with line breaks, serialized as the agent does: escaped in the JSON.
            let text = JSONValue.object([("round", 1), ("text", "line one\nline two\r\nevent: verdict\n\ndata: x")]).serialized()
            let delta = try await store.appendAuthoringEvent(taskID: id, turn: 1, kind: .delta, data: text)
            // A row whose JSON has raw line breaks (not what the agent writes) is re-serialized.
            try await store.appendAuthoringEvent(taskID: id, turn: 1, kind: .diagnostics, data: "{\n  \"round\": 1,\r\n  \"diagnostics\": []\n}")
            try await store.appendAuthoringEvent(taskID: id, turn: 1, kind: .accepted, data: #"{"round":1,"expression":"age >= 18"}"#)
            try await store.setAuthoringStatus(id: id, .published, detail: "adult@1")
            let verdict = try await store.appendAuthoringEvent(taskID: id, turn: 1, kind: .verdict,
                                                               data: AuthoringVerdict(status: .published, detail: "adult@1", version: 1).eventData)
            let events = try await store.authoringEvents(taskID: id, after: 0, limit: 100)
            #expect(events.map(\.kind) == ["queued", "round_started", "delta", "diagnostics", "accepted", "verdict"])

            let stream = try await client.send("/v1/authoring/tasks/\(id)/events", method: .get)
            #expect(stream.status == .ok)
            #expect(stream.headers[.contentType] == "text/event-stream" && stream.headers[.cacheControl] == "no-store")
            let expected = events.map { event in
                event.kind == "diagnostics" ? Self.frame(event, data: #"{"round":1,"diagnostics":[]}"#) : Self.frame(event)
            }
            #expect(stream.body == expected.joined())
            // Every frame is exactly its three lines: no stored text made a fourth.
            let frames = stream.body.components(separatedBy: "\n\n").dropLast()
            #expect(frames.count == 6 && frames.allSatisfy { $0.split(separator: "\n", omittingEmptySubsequences: false).count == 3 })
            #expect(!stream.body.contains("\r") && stream.body.contains(#"line one\nline two\r\nevent: verdict\n\ndata: x"#))

            let resumed = try await client.send("/v1/authoring/tasks/\(id)/events", method: .get, headers: [HTTPField.Name("Last-Event-ID")!: "\(delta)"])
            #expect(resumed.body == expected.dropFirst(3).joined())
            #expect(try await client.get("/v1/authoring/tasks/\(id)/events?after=\(delta)").body == expected.dropFirst(3).joined())
            let header: HTTPFields = [HTTPField.Name("Last-Event-ID")!: "\(delta)"]
            #expect(try await client.get("/v1/authoring/tasks/\(id)/events?after=0", headers: header).body == expected.dropFirst(3).joined(),
                    "the header wins")
            let done = try await client.get("/v1/authoring/tasks/\(id)/events", headers: [HTTPField.Name("Last-Event-ID")!: "\(verdict)"])
            #expect(done.status == .ok && done.body == "")
            for bad in ["-1", "x", "99999999999999999999"] {
                let refused = try await client.get("/v1/authoring/tasks/\(id)/events", headers: [HTTPField.Name("Last-Event-ID")!: bad])
                #expect(refused.status == .badRequest && errorCode(refused.body) == "malformed_request")
            }
            #expect(try await client.get("/v1/authoring/tasks/\(id)/events?after=-3").status == .badRequest)
            // A malformed `after` is refused even where the header wins.
            #expect(try await client.get("/v1/authoring/tasks/\(id)/events?after=9223372036854775808", headers: header).status == .badRequest)
        }
        await fixture.store.close()
    }

    /// An event recorded while the stream is open arrives on it, and the verdict that
    /// follows ends it — also when the status is written a moment before the verdict.
    @Test(arguments: TestBackend.allCases)
    func streamFollowsEventsAsTheyAreRecorded(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        let store = CountingStore(fixture.store)
        let application = buildApplication(configuration: Self.agentOn(), store: store, logger: fixture.logger)
        try await application.test(.router) { client in
            let id = try await Self.create(client)
            async let streamed = client.get("/v1/authoring/tasks/\(id)/events")
            try await Self.waitForReads(store, atLeast: 3)
            try await fixture.store.setAuthoringStatus(id: id, .running, detail: nil)
            try await fixture.store.appendAuthoringEvent(taskID: id, turn: 1, kind: .roundStarted, data: #"{"round":1,"max_rounds":5}"#)
            try await Self.waitForReads(store, atLeast: store.authoringEventReads + 3)
            try await fixture.store.setAuthoringStatus(id: id, .failed, detail: "the model is unreachable")
            try await Task.sleep(for: .milliseconds(150))
            try await fixture.store.appendAuthoringEvent(taskID: id, turn: 1, kind: .verdict,
                                                         data: AuthoringVerdict(status: .failed, detail: "the model is unreachable").eventData)
            let body = (try await streamed).body
            let events = try await fixture.store.authoringEvents(taskID: id, after: 0, limit: 100)
            #expect(events.map(\.kind) == ["queued", "round_started", "verdict"])
            #expect(body == events.map(Self.frame).joined())
        }
        await fixture.store.close()
    }

    /// A stream whose task never ends stops at its lifetime, with keep-alive comments while
    /// idle; past `maxEventStreams` open, 503 until one ends.
    @Test func streamsAreBoundedInTimeAndNumber() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        let store = CountingStore(fixture.store)
        var configuration = Self.agentOn()
        // Long enough that the second request comes while the first stream lives, even on a
        // loaded machine (600 ms was not, once, in CI).
        configuration.eventStreamLifetime = .seconds(3)
        configuration.eventStreamKeepAlive = .milliseconds(100)
        configuration.maxEventStreams = 1
        let application = buildApplication(configuration: configuration, store: store, logger: fixture.logger)
        try await application.test(.router) { client in
            let id = try await Self.create(client)
            let queued = try #require(try await fixture.store.authoringEvents(taskID: id, after: 0, limit: 1).first)
            async let first = client.get("/v1/authoring/tasks/\(id)/events")
            try await Self.waitForReads(store, atLeast: 2)
            let second = try await client.get("/v1/authoring/tasks/\(id)/events")
            #expect(second.status == .serviceUnavailable)
            #expect(second.body == #"{"error":{"code":"too_many_streams","message":"1 event streams are open; retry shortly or poll /v1/authoring/tasks/\#(id)"}}"#)
            let ended = try await first
            #expect(ended.status == .ok)
            #expect(ended.body.hasPrefix(Self.frame(queued) + ServerSentKeepAlive.comment))
            #expect(ended.body.replacingOccurrences(of: ServerSentKeepAlive.comment, with: "") == Self.frame(queued))
            // Its slot is free again.
            #expect(try await client.get("/v1/authoring/tasks/\(id)/events").status == .ok)
        }
        await fixture.store.close()
    }

    // MARK: - Helpers

    static func create(_ client: some TestClientProtocol) async throws -> String {
        let response = try await client.send("/v1/authoring/tasks", method: .post, task)
        #expect(response.status == .accepted, "\(response.body)")
        return try #require(try JSONValue.parse(response.body)["task_id"]?.stringValue)
    }

    /// What `AuthoringTaskRequest` says of a body, nil when it accepts it.
    static func refusal(_ body: String) -> String? {
        do {
            _ = try AuthoringTaskRequest(jsonText: body)
            return nil
        } catch {
            return error.message
        }
    }

    static func frame(_ event: AuthoringTaskEvent) -> String { frame(event, data: event.data) }

    static func frame(_ event: AuthoringTaskEvent, data: String) -> String {
        "id: \(event.sequence)\nevent: \(event.kind)\ndata: \(data)\n\n"
    }

    static func waitForReads(_ store: CountingStore, atLeast count: Int) async throws {
        for _ in 0..<500 where store.authoringEventReads < count { try await Task.sleep(for: .milliseconds(10)) }
        #expect(store.authoringEventReads >= count, "the stream did not poll")
    }
}

enum ServerSentKeepAlive {
    static let comment = ": keep-alive\n\n"
}

/// Task ids as ID and times as TIME: what the exact bodies compare.
func masked(_ body: String) -> String {
    body.replacing(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, with: "ID")
        .replacing(/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/, with: "TIME")
}

extension TestClientProtocol {
    /// A request with an optional JSON body and API key; the status, headers and body as text.
    func send(_ uri: String, method: HTTPRequest.Method, _ json: String? = nil, key: String? = nil,
              headers: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        var headers = headers
        if json != nil { headers[.contentType] = "application/json" }
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) {
            ($0.status, $0.headers, String(buffer: $0.body))
        }
    }
}
