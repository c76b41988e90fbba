import Foundation
import GRDB
import SpectralCatalog
import SpectralJSON

/// Authoring tasks, their follow-up messages, checkpoints and progress events. The
/// methods that start a turn write its `authoring.requested` event in their transaction
/// and wake the workers after commit, as `submit` does.
extension SQLiteStore {
    public func createAuthoringTask(id: String, name: String, request: String, owner: String, generation: Int64) async throws
        -> AuthoringTaskRecord {
        let task = try await writeTransaction { db in
            try db.execute(sql: "INSERT INTO authoring_tasks (id, name, request, status, turn, owner) VALUES (?, ?, ?, ?, 1, ?)",
                           arguments: [id, try Self.storableText(name), try Self.storableText(request),
                                       AuthoringTaskStatus.queued.rawValue, try Self.storableText(owner)])
            try Self.appendAuthoringEvent(taskID: id, turn: 1, kind: .queued, data: JSONValue.object([]).serialized(), db)
            _ = try Self.insertOutbox(.authoringRequested(taskID: id, turn: 1), generation: generation, db)
            return try Self.authoringTask(id: id, db)
        }
        notifyOutbox(generation: generation)
        guard let task else { throw StoreError.corruptRow("authoring task \(id) was not found after it was inserted") }
        return task
    }

    public func authoringTask(id: String) async throws -> AuthoringTaskRecord? {
        try await pool.read { db in try Self.authoringTask(id: id, db) }
    }

    public func authoringTasks(status: AuthoringTaskStatus?, limit: Int, before: String?) async throws -> [AuthoringTaskRecord] {
        try await pool.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let status {
                conditions.append("status = ?")
                arguments += [status.rawValue]
            }
            if let before {
                // Compared as the rows are ordered; no row (an unknown cursor) compares NULL: none.
                conditions.append("(created_at, id) < (SELECT created_at, id FROM authoring_tasks WHERE id = ?)")
                arguments += [before]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [limit]
            return try Row.fetchAll(db, sql: "SELECT * FROM authoring_tasks \(filter) ORDER BY created_at DESC, id DESC LIMIT ?",
                                    arguments: arguments).map(Self.authoringTask(row:))
        }
    }

    public func appendAuthoringMessage(taskID: String, text: String, generation: Int64) async throws -> AuthoringTaskRecord? {
        let task = try await writeTransaction { db -> AuthoringTaskRecord? in
            guard let task = try Self.authoringTask(id: taskID, db) else { return nil }
            guard task.status.isFinished else { throw StoreError.taskBusy(id: taskID, status: task.status.rawValue) }
            let turn = task.turn + 1
            try db.execute(sql: """
                UPDATE authoring_tasks SET turn = ?, status = ?, detail = NULL, cancel_requested = 0, updated_at = \(Self.now)
                WHERE id = ?
                """, arguments: [turn, AuthoringTaskStatus.queued.rawValue, taskID])
            try db.execute(sql: "INSERT INTO authoring_messages (task_id, turn, text) VALUES (?, ?, ?)",
                           arguments: [taskID, turn, try Self.storableText(text)])
            try Self.appendAuthoringEvent(taskID: taskID, turn: turn, kind: .queued,
                                          data: JSONValue.object([("text", .string(text))]).serialized(), db)
            _ = try Self.insertOutbox(.authoringRequested(taskID: taskID, turn: turn), generation: generation, db)
            return try Self.authoringTask(id: taskID, db)
        }
        if task != nil { notifyOutbox(generation: generation) }
        return task
    }

    public func authoringMessages(taskID: String) async throws -> [Int: String] {
        try await pool.read { db in
            var messages: [Int: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT turn, text FROM authoring_messages WHERE task_id = ?", arguments: [taskID]) {
                messages[row["turn"]] = row["text"]
            }
            return messages
        }
    }

    public func requestAuthoringCancel(id: String) async throws -> AuthoringTaskRecord? {
        try await writeTransaction { db in
            guard let task = try Self.authoringTask(id: id, db) else { return nil }
            switch task.status {
            case .queued:
                // No agent has it yet: it ends here, and the agent that claims its message finds it cancelled.
                try Self.recordAuthoringVerdict(AuthoringVerdict(status: .cancelled, detail: "cancelled before it started"),
                                                taskID: id, turn: task.turn, db)
            case .running, .submitted:
                try db.execute(sql: "UPDATE authoring_tasks SET cancel_requested = 1, updated_at = \(Self.now) WHERE id = ?",
                               arguments: [id])
            case .published, .held, .rejected, .failed, .cancelled:
                return task
            }
            return try Self.authoringTask(id: id, db)
        }
    }

    public func setAuthoringStatus(id: String, _ status: AuthoringTaskStatus, detail: String?) async throws {
        try await writeTransaction { db in
            try db.execute(sql: "UPDATE authoring_tasks SET status = ?, detail = ?, updated_at = \(Self.now) WHERE id = ?",
                           arguments: [status.rawValue, try detail.map(Self.storableText), id])
        }
    }

    @discardableResult
    public func appendAuthoringEvent(taskID: String, turn: Int, kind: AuthoringEventKind, data: String) async throws -> Int64 {
        try await writeTransaction { db in try Self.appendAuthoringEvent(taskID: taskID, turn: turn, kind: kind, data: data, db) }
    }

    public func authoringEvents(taskID: String, after sequence: Int64, limit: Int) async throws -> [AuthoringTaskEvent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT sequence, task_id, turn, kind, data, created_at FROM authoring_events
                WHERE task_id = ? AND sequence > ? ORDER BY sequence LIMIT ?
                """, arguments: [taskID, sequence, limit]).map { row in
                AuthoringTaskEvent(sequence: row["sequence"], taskID: row["task_id"], turn: row["turn"], kind: row["kind"],
                                   data: row["data"], createdAt: row["created_at"])
            }
        }
    }

    public func saveAuthoringCheckpoint(_ checkpoint: AuthoringCheckpoint) async throws {
        try await writeTransaction { db in
            try db.execute(sql: """
                INSERT INTO authoring_checkpoints (task_id, turn, round, sent, answer, prompt_tokens, completion_tokens,
                                                   expression, diagnostics)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (task_id, turn, round) DO NOTHING
                """, arguments: [checkpoint.taskID, checkpoint.turn, checkpoint.round, try Self.storableText(checkpoint.sent),
                                 try Self.storableText(checkpoint.answer), checkpoint.promptTokens, checkpoint.completionTokens,
                                 try checkpoint.expression.map(Self.storableText), try Self.storableText(checkpoint.diagnostics)])
        }
    }

    public func authoringCheckpoints(taskID: String) async throws -> [AuthoringCheckpoint] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM authoring_checkpoints WHERE task_id = ? ORDER BY turn, round",
                             arguments: [taskID]).map { row in
                AuthoringCheckpoint(taskID: row["task_id"], turn: row["turn"], round: row["round"], sent: row["sent"],
                                    answer: row["answer"], promptTokens: row["prompt_tokens"],
                                    completionTokens: row["completion_tokens"], expression: row["expression"],
                                    diagnostics: row["diagnostics"])
            }
        }
    }

    // MARK: In the caller's transaction

    static func authoringTask(id: String, _ db: Database) throws -> AuthoringTaskRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM authoring_tasks WHERE id = ?", arguments: [id]) else { return nil }
        return try authoringTask(row: row)
    }

    /// A row of `authoring_tasks`.
    static func authoringTask(row: Row) throws -> AuthoringTaskRecord {
        guard let status = AuthoringTaskStatus(rawValue: row["status"]) else {
            throw StoreError.corruptRow("authoring task \(row["id"] as String) has status '\(row["status"] as String)'")
        }
        return AuthoringTaskRecord(id: row["id"], name: row["name"], request: row["request"], status: status, turn: row["turn"],
                                   detail: row["detail"], cancelRequested: row["cancel_requested"], owner: row["owner"],
                                   createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    @discardableResult
    static func appendAuthoringEvent(taskID: String, turn: Int, kind: AuthoringEventKind, data: String, _ db: Database) throws -> Int64 {
        try db.execute(sql: "INSERT INTO authoring_events (task_id, turn, kind, data) VALUES (?, ?, ?, ?)",
                       arguments: [taskID, turn, kind.rawValue, try storableText(data)])
        return db.lastInsertedRowID
    }

    /// Ends a turn: the task's status and detail, and its `verdict` event.
    static func recordAuthoringVerdict(_ verdict: AuthoringVerdict, taskID: String, turn: Int, _ db: Database) throws {
        try db.execute(sql: "UPDATE authoring_tasks SET status = ?, detail = ?, updated_at = \(now) WHERE id = ?",
                       arguments: [verdict.status.rawValue, try verdict.taskDetail.map(storableText), taskID])
        try appendAuthoringEvent(taskID: taskID, turn: turn, kind: .verdict, data: verdict.eventData, db)
    }
}
