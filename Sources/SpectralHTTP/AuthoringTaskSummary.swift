import Foundation
import SpectralCatalog
import SpectralJSON

/// What `GET /v1/authoring/tasks/{id}` answers: the task, its request, its follow-up
/// messages, each finished round and the tokens spent.
///
/// `{"task_id", "name", "status", "turn", "detail"?, "cancel_requested", "created_at",
/// "updated_at", "request", "messages": [{"turn", "text"}], "rounds": [{"turn", "round",
/// "expression"?, "diagnostics", "prompt_tokens", "completion_tokens"}], "usage":
/// {"prompt_tokens", "completion_tokens"}, "events_url"}`.
///
/// A round shows what came of it, not what was said: the messages sent (the whole prompt,
/// resent each round) and the model's answer can each be many kilobytes, and a summary
/// polled every few seconds should stay small. The answer's text is in the event stream
/// (`delta` events), which is where a client follows the conversation.
struct AuthoringTaskSummary {
    let task: AuthoringTaskRecord
    let messages: [Int: String]
    let checkpoints: [AuthoringCheckpoint]

    static func statusURL(_ id: String) -> String { "/v1/authoring/tasks/\(id)" }
    static func eventsURL(_ id: String) -> String { "/v1/authoring/tasks/\(id)/events" }

    var jsonValue: JSONValue {
        let formatter = ISO8601DateFormatter()
        var members: [(String, JSONValue)] = [
            ("task_id", .string(task.id)),
            ("name", .string(task.name)),
            ("status", .string(task.status.rawValue)),
            ("turn", Self.number(task.turn)),
        ]
        if let detail = task.detail { members.append(("detail", .string(detail))) }
        members += [
            ("cancel_requested", .bool(task.cancelRequested)),
            ("created_at", .string(formatter.string(from: task.createdAt))),
            ("updated_at", .string(formatter.string(from: task.updatedAt))),
            // Stored as validated JSON text; a row that no longer parses is shown as text.
            ("request", (try? JSONValue.parse(task.request)) ?? .string(task.request)),
            ("messages", .array(messages.sorted { $0.key < $1.key }.map { turn, text in
                .object([("turn", Self.number(turn)), ("text", .string(text))])
            })),
            ("rounds", .array(checkpoints.map(Self.round))),
            ("usage", .object([
                ("prompt_tokens", Self.number(checkpoints.reduce(0) { $0 + $1.promptTokens })),
                ("completion_tokens", Self.number(checkpoints.reduce(0) { $0 + $1.completionTokens })),
            ])),
            ("events_url", .string(Self.eventsURL(task.id))),
        ]
        return .object(members)
    }

    private static func round(_ checkpoint: AuthoringCheckpoint) -> JSONValue {
        var members: [(String, JSONValue)] = [("turn", number(checkpoint.turn)), ("round", number(checkpoint.round))]
        if let expression = checkpoint.expression { members.append(("expression", .string(expression))) }
        let diagnostics = (try? JSONValue.parse(checkpoint.diagnostics)).flatMap { $0.arrayValue == nil ? nil : $0 }
        members += [
            ("diagnostics", diagnostics ?? .array([.string(checkpoint.diagnostics)])),
            ("prompt_tokens", number(checkpoint.promptTokens)),
            ("completion_tokens", number(checkpoint.completionTokens)),
        ]
        return .object(members)
    }

    private static func number(_ value: Int) -> JSONValue { .number(JSONNumber(Int64(value))) }
}
