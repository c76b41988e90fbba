import Foundation
import Logging
import PostgresNIO
import SpectralCatalog
import SpectralJSON

/// Authoring tasks, their follow-up messages, checkpoints and progress events. The
/// methods that start a turn write its `authoring.requested` event in their transaction,
/// with the NOTIFY that wakes the workers at commit, as `submit` does. Those that decide
/// from a task's status lock its row first (`FOR UPDATE`), so two concurrent follow-ups
/// cannot both start a turn.
extension PostgresStore {
    public func createAuthoringTask(id: String, name: String, request: String, owner: String, generation: Int64) async throws
        -> AuthoringTaskRecord {
        try await transaction { [self] connection in
            let rows = try await connection.checkedQuery("""
                INSERT INTO spectral.authoring_tasks (id, name, request, status, turn, owner)
                VALUES (\(id), \(name), \(request), \(AuthoringTaskStatus.queued.rawValue), 1, \(owner))
                RETURNING \(unescaped: Self.authoringTaskColumns)
                """, logger: logger)
            guard let task = try await Self.authoringTasks(rows).first else {
                throw StoreError.corruptRow("INSERT … RETURNING returned no authoring task")
            }
            try await appendAuthoringEvent(taskID: id, turn: 1, kind: .queued, data: JSONValue.object([]).serialized(), connection)
            _ = try await insertOutbox(.authoringRequested(taskID: id, turn: 1), generation: generation, connection)
            return task
        }
    }

    public func authoringTask(id: String) async throws -> AuthoringTaskRecord? {
        try await withConnection { [self] connection in try await authoringTask(id: id, locking: false, connection) }
    }

    public func authoringTasks(status: AuthoringTaskStatus?, limit: Int, before: String?) async throws -> [AuthoringTaskRecord] {
        try await withConnection { [logger] connection in
            // Each filter is off when its parameter is NULL. An unknown cursor makes the
            // comparison NULL: no rows, as in SQLite.
            let rows = try await connection.checkedQuery("""
                SELECT \(unescaped: Self.authoringTaskColumns) FROM spectral.authoring_tasks
                WHERE (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
                  AND (\(before)::text IS NULL
                       OR (created_at, id) < (SELECT created_at, id FROM spectral.authoring_tasks WHERE id = \(before)))
                ORDER BY created_at DESC, id DESC LIMIT \(limit)
                """, logger: logger)
            return try await Self.authoringTasks(rows)
        }
    }

    public func appendAuthoringMessage(taskID: String, text: String, generation: Int64) async throws -> AuthoringTaskRecord? {
        try await transaction { [self] connection in
            guard let task = try await authoringTask(id: taskID, locking: true, connection) else { return nil }
            guard task.status.isFinished else { throw StoreError.taskBusy(id: taskID, status: task.status.rawValue) }
            let turn = task.turn + 1
            let rows = try await connection.checkedQuery("""
                UPDATE spectral.authoring_tasks SET turn = \(turn), status = \(AuthoringTaskStatus.queued.rawValue), detail = NULL,
                    cancel_requested = false, updated_at = now()
                WHERE id = \(taskID)
                RETURNING \(unescaped: Self.authoringTaskColumns)
                """, logger: logger)
            let updated = try await Self.authoringTasks(rows).first
            try await connection.checkedQuery(
                "INSERT INTO spectral.authoring_messages (task_id, turn, text) VALUES (\(taskID), \(turn), \(text))", logger: logger)
            try await appendAuthoringEvent(taskID: taskID, turn: turn, kind: .queued,
                                           data: JSONValue.object([("text", .string(text))]).serialized(), connection)
            _ = try await insertOutbox(.authoringRequested(taskID: taskID, turn: turn), generation: generation, connection)
            return updated
        }
    }

    public func authoringMessages(taskID: String) async throws -> [Int: String] {
        try await withConnection { [logger] connection in
            let rows = try await connection.checkedQuery(
                "SELECT turn, text FROM spectral.authoring_messages WHERE task_id = \(taskID)", logger: logger)
            var messages: [Int: String] = [:]
            for try await (turn, text) in rows.decode((Int, String).self) { messages[turn] = text }
            return messages
        }
    }

    public func requestAuthoringCancel(id: String) async throws -> AuthoringTaskRecord? {
        try await transaction { [self] connection in
            guard let task = try await authoringTask(id: id, locking: true, connection) else { return nil }
            switch task.status {
            case .queued:
                // No agent has it yet: it ends here, and the agent that claims its message finds it cancelled.
                try await recordAuthoringVerdict(AuthoringVerdict(status: .cancelled, detail: "cancelled before it started"),
                                                 taskID: id, turn: task.turn, connection)
            case .running, .submitted:
                try await connection.checkedQuery(
                    "UPDATE spectral.authoring_tasks SET cancel_requested = true, updated_at = now() WHERE id = \(id)", logger: logger)
            case .published, .held, .rejected, .failed, .cancelled:
                return task
            }
            return try await authoringTask(id: id, locking: false, connection)
        }
    }

    public func setAuthoringStatus(id: String, _ status: AuthoringTaskStatus, detail: String?) async throws {
        _ = try await withConnection { [logger] connection in
            try await connection.checkedQuery("""
                UPDATE spectral.authoring_tasks SET status = \(status.rawValue), detail = \(detail), updated_at = now() WHERE id = \(id)
                """, logger: logger)
        }
    }

    @discardableResult
    public func appendAuthoringEvent(taskID: String, turn: Int, kind: AuthoringEventKind, data: String) async throws -> Int64 {
        try await withConnection { [self] connection in
            try await appendAuthoringEvent(taskID: taskID, turn: turn, kind: kind, data: data, connection)
        }
    }

    public func authoringEvents(taskID: String, after sequence: Int64, limit: Int) async throws -> [AuthoringTaskEvent] {
        try await withConnection { [logger] connection in
            let rows = try await connection.checkedQuery("""
                SELECT sequence, task_id, turn, kind, data, created_at FROM spectral.authoring_events
                WHERE task_id = \(taskID) AND sequence > \(sequence) ORDER BY sequence LIMIT \(limit)
                """, logger: logger)
            var events: [AuthoringTaskEvent] = []
            for try await (sequence, taskID, turn, kind, data, createdAt) in rows.decode((Int64, String, Int, String, String, Date).self) {
                events.append(AuthoringTaskEvent(sequence: sequence, taskID: taskID, turn: turn, kind: kind, data: data, createdAt: createdAt))
            }
            return events
        }
    }

    public func saveAuthoringCheckpoint(_ checkpoint: AuthoringCheckpoint) async throws {
        _ = try await withConnection { [logger] connection in
            try await connection.checkedQuery("""
                INSERT INTO spectral.authoring_checkpoints (task_id, turn, round, sent, answer, prompt_tokens, completion_tokens,
                                                            expression, diagnostics)
                VALUES (\(checkpoint.taskID), \(checkpoint.turn), \(checkpoint.round), \(checkpoint.sent), \(checkpoint.answer),
                        \(checkpoint.promptTokens), \(checkpoint.completionTokens), \(checkpoint.expression), \(checkpoint.diagnostics))
                ON CONFLICT (task_id, turn, round) DO NOTHING
                """, logger: logger)
        }
    }

    public func authoringCheckpoints(taskID: String) async throws -> [AuthoringCheckpoint] {
        try await withConnection { [logger] connection in
            let rows = try await connection.checkedQuery("""
                SELECT task_id, turn, round, sent, answer, prompt_tokens, completion_tokens, expression, diagnostics
                FROM spectral.authoring_checkpoints WHERE task_id = \(taskID) ORDER BY turn, round
                """, logger: logger)
            var checkpoints: [AuthoringCheckpoint] = []
            for try await (taskID, turn, round, sent, answer, promptTokens, completionTokens, expression, diagnostics)
                in rows.decode((String, Int, Int, String, String, Int, Int, String?, String).self) {
                checkpoints.append(AuthoringCheckpoint(taskID: taskID, turn: turn, round: round, sent: sent, answer: answer,
                                                       promptTokens: promptTokens, completionTokens: completionTokens,
                                                       expression: expression, diagnostics: diagnostics))
            }
            return checkpoints
        }
    }

    // MARK: In the caller's transaction

    static let authoringTaskColumns = "id, name, request, status, turn, detail, cancel_requested, owner, created_at, updated_at"

    /// The task, its row locked until the transaction ends when `locking`.
    func authoringTask(id: String, locking: Bool, _ connection: PostgresConnection) async throws -> AuthoringTaskRecord? {
        let rows = try await connection.checkedQuery("""
            SELECT \(unescaped: Self.authoringTaskColumns) FROM spectral.authoring_tasks WHERE id = \(id)\(unescaped: locking ? " FOR UPDATE" : "")
            """, logger: logger)
        return try await Self.authoringTasks(rows).first
    }

    /// Rows of `authoringTaskColumns`.
    static func authoringTasks(_ rows: PostgresRowSequence) async throws -> [AuthoringTaskRecord] {
        var tasks: [AuthoringTaskRecord] = []
        for try await (id, name, request, status, turn, detail, cancelRequested, owner, createdAt, updatedAt)
            in rows.decode((String, String, String, String, Int, String?, Bool, String, Date, Date).self) {
            guard let status = AuthoringTaskStatus(rawValue: status) else {
                throw StoreError.corruptRow("authoring task \(id) has status '\(status)'")
            }
            tasks.append(AuthoringTaskRecord(id: id, name: name, request: request, status: status, turn: turn, detail: detail,
                                             cancelRequested: cancelRequested, owner: owner, createdAt: createdAt, updatedAt: updatedAt))
        }
        return tasks
    }

    @discardableResult
    func appendAuthoringEvent(taskID: String, turn: Int, kind: AuthoringEventKind, data: String,
                              _ connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.checkedQuery("""
            INSERT INTO spectral.authoring_events (task_id, turn, kind, data) VALUES (\(taskID), \(turn), \(kind.rawValue), \(data))
            RETURNING sequence
            """, logger: logger)
        guard let sequence = try await rows.decode(Int64.self).first(where: { _ in true }) else {
            throw StoreError.corruptRow("INSERT … RETURNING sequence returned no row")
        }
        return sequence
    }

    /// Ends a turn: the task's status and detail, and its `verdict` event.
    func recordAuthoringVerdict(_ verdict: AuthoringVerdict, taskID: String, turn: Int, _ connection: PostgresConnection) async throws {
        try await connection.checkedQuery("""
            UPDATE spectral.authoring_tasks SET status = \(verdict.status.rawValue), detail = \(verdict.taskDetail), updated_at = now()
            WHERE id = \(taskID)
            """, logger: logger)
        try await appendAuthoringEvent(taskID: taskID, turn: turn, kind: .verdict, data: verdict.eventData, connection)
    }
}
