import PostgresNIO
import SpectralCatalog
import SpectralJSON

/// Authoring tasks' submissions through the outbox: the `predicate.authored` event an
/// accepted expression becomes, linked to its task (`authoring_submissions`) so that what
/// becomes of the event (published, rejected, unchanged, dead-lettered) records the task's
/// verdict in the same transaction. A task never stays `submitted` once its event is done.
extension PostgresStore {
    /// `.submitAuthored`: the event in the claimed event's generation (its NOTIFY delivered
    /// at commit), its link, the task `submitted` and its `submitted` event.
    func submitAuthored(taskID: String, turn: Int, definition: PredicateDefinition, of event: OutboxEvent,
                        _ connection: PostgresConnection) async throws {
        let id = try await insertOutbox(.predicateAuthored(definition), generation: event.generation, connection)
        try await connection.checkedQuery(
            "INSERT INTO spectral.authoring_submissions (event_id, task_id, turn) VALUES (\(id), \(taskID), \(turn))", logger: logger)
        try await connection.checkedQuery("""
            UPDATE spectral.authoring_tasks SET status = \(AuthoringTaskStatus.submitted.rawValue), updated_at = now() WHERE id = \(taskID)
            """, logger: logger)
        let data = JSONValue.object([("event_id", .number(JSONNumber(id))), ("expression", .string(definition.source))])
        try await appendAuthoringEvent(taskID: taskID, turn: turn, kind: .submitted, data: data.serialized(), connection)
    }

    /// After a claimed event's effect: when it is a task's submission, the task's verdict.
    func recordSubmissionVerdict(of event: OutboxEvent, effect: HandlerEffect, result: HandledEvent.Result,
                                 _ connection: PostgresConnection) async throws {
        guard let verdict = AuthoringVerdict.ofSubmission(effect, result: result),
              let (taskID, turn) = try await submission(of: event, connection) else { return }
        try await recordAuthoringVerdict(verdict, taskID: taskID, turn: turn, connection)
    }

    /// A dead-lettered event: when it is a task's submission, nothing will publish it, and
    /// the task fails with `lastError`.
    func failSubmission(of event: OutboxEvent, lastError: String?, _ connection: PostgresConnection) async throws {
        guard let (taskID, turn) = try await submission(of: event, connection) else { return }
        try await recordAuthoringVerdict(.undeliverable(lastError: lastError), taskID: taskID, turn: turn, connection)
    }

    /// The task and turn `event` is the submission of; nil for any other event.
    private func submission(of event: OutboxEvent, _ connection: PostgresConnection) async throws -> (taskID: String, turn: Int)? {
        guard event.topic == OutboxMessage.Topic.predicateAuthored else { return nil }
        let rows = try await connection.checkedQuery(
            "SELECT task_id, turn FROM spectral.authoring_submissions WHERE event_id = \(event.id)", logger: logger)
        for try await (taskID, turn) in rows.decode((String, Int).self) { return (taskID, turn) }
        return nil
    }
}
