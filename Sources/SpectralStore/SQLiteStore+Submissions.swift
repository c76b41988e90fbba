import GRDB
import SpectralCatalog
import SpectralJSON

/// Authoring tasks' submissions through the outbox: the `predicate.authored` event an
/// accepted expression becomes, linked to its task (`authoring_submissions`) so that what
/// becomes of the event (published, rejected, unchanged, dead-lettered) records the task's
/// verdict in the same transaction. A task never stays `submitted` once its event is done.
extension SQLiteStore {
    /// `.submitAuthored`: the event in the claimed event's generation (the caller wakes the
    /// workers after commit), its link, the task `submitted` and its `submitted` event.
    static func submitAuthored(taskID: String, turn: Int, definition: PredicateDefinition, of event: OutboxEvent,
                               _ db: Database) throws {
        let id = try insertOutbox(.predicateAuthored(definition), generation: event.generation, db)
        try db.execute(sql: "INSERT INTO authoring_submissions (event_id, task_id, turn) VALUES (?, ?, ?)", arguments: [id, taskID, turn])
        try db.execute(sql: "UPDATE authoring_tasks SET status = ?, updated_at = \(now) WHERE id = ?",
                       arguments: [AuthoringTaskStatus.submitted.rawValue, taskID])
        let data = JSONValue.object([("event_id", .number(JSONNumber(id))), ("expression", .string(definition.source))])
        try appendAuthoringEvent(taskID: taskID, turn: turn, kind: .submitted, data: data.serialized(), db)
    }

    /// After a claimed event's effect: when it is a task's submission, the task's verdict.
    static func recordSubmissionVerdict(of event: OutboxEvent, effect: HandlerEffect, result: HandledEvent.Result,
                                        _ db: Database) throws {
        guard let verdict = AuthoringVerdict.ofSubmission(effect, result: result),
              let (taskID, turn) = try submission(of: event, db) else { return }
        try recordAuthoringVerdict(verdict, taskID: taskID, turn: turn, db)
    }

    /// A dead-lettered event: when it is a task's submission, nothing will publish it, and
    /// the task fails with `lastError`.
    static func failSubmission(of event: OutboxEvent, lastError: String?, _ db: Database) throws {
        guard let (taskID, turn) = try submission(of: event, db) else { return }
        try recordAuthoringVerdict(.undeliverable(lastError: lastError), taskID: taskID, turn: turn, db)
    }

    /// The task and turn `event` is the submission of; nil for any other event.
    private static func submission(of event: OutboxEvent, _ db: Database) throws -> (taskID: String, turn: Int)? {
        guard event.topic == OutboxMessage.Topic.predicateAuthored,
              let row = try Row.fetchOne(db, sql: "SELECT task_id, turn FROM authoring_submissions WHERE event_id = ?",
                                         arguments: [event.id]) else { return nil }
        return (row["task_id"], row["turn"])
    }
}
