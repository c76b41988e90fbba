import Foundation
import GRDB
import Spectral
import SpectralCatalog

/// Submitting, claiming and completing outbox events; retries and dead letters.
extension SQLiteStore {
    // MARK: Submitting and status

    public func submit(topic: String, payload: String, generation: Int64) async throws -> Int64 {
        let id = try await writeTransaction { db in try Self.insertOutbox(topic: topic, payload: payload, generation: generation, db) }
        notifyOutbox(generation: generation)
        return id
    }

    /// Writes an event to the outbox in the caller's transaction; returns its id. The caller
    /// calls `notifyOutbox` once that transaction has committed.
    static func insertOutbox(topic: String, payload: String, generation: Int64, _ db: Database) throws -> Int64 {
        try db.execute(sql: "INSERT INTO outbox (generation, topic, payload) VALUES (?, ?, ?)", arguments: [generation, topic, payload])
        return db.lastInsertedRowID
    }

    static func insertOutbox(_ message: OutboxMessage, generation: Int64, _ db: Database) throws -> Int64 {
        try insertOutbox(topic: message.topic, payload: message.payload, generation: generation, db)
    }

    /// Wakes this process's workers of `generation` after a commit that wrote outbox events.
    func notifyOutbox(generation: Int64) {
        LocalNotifications.shared.post(path: path, channel: .outbox, payload: String(generation))
    }

    public func status(ofEvent id: Int64) async throws -> EventStatus {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, attempts, last_error FROM outbox WHERE id = ?", arguments: [id]) else {
                throw StoreError.unknownEvent(id)
            }
            let attempts: Int = row["attempts"]
            let lastError: String? = row["last_error"]
            switch row["status"] as String {
            case "pending": return .pending(attempts: attempts, lastError: lastError)
            case "dead": return .deadLettered(attempts: attempts, lastError: lastError)
            default: break
            }
            if let published = try Row.fetchOne(db, sql: "SELECT name, version, held_reason, impact_report, findings FROM predicates WHERE event_id = ?",
                                                arguments: [id]) {
                if let reason = published["held_reason"] as String? {
                    return .held(name: published["name"], version: published["version"], reason: reason,
                                 impact: try PredicateVersion.decodeImpact(published["impact_report"]),
                                 findings: try PredicateVersion.decodeFindings(published["findings"]))
                }
                return .published(name: published["name"], version: published["version"])
            }
            if let same = try Row.fetchOne(db, sql: "SELECT name, version FROM unchanged_submissions WHERE event_id = ?", arguments: [id]) {
                return .unchanged(name: same["name"], version: same["version"])
            }
            if let rejected = try Row.fetchOne(db, sql: "SELECT name, diagnostics FROM rejections WHERE event_id = ?", arguments: [id]) {
                return .rejected(name: rejected["name"], diagnostics: AuthoringDiagnostic.list(jsonText: rejected["diagnostics"]))
            }
            return .handled
        }
    }

    // MARK: The outbox

    public func claim(generation: Int64, adoptingAfter silence: Duration?, lease: Duration, maxAttempts: Int,
                      topics: OutboxTopics) async throws -> ClaimOutcome {
        let token = UUID().uuidString
        let topicFilter = topics.sqlCondition
        return try await writeTransaction { db in
            var deadLettered: [OutboxEvent] = []
            while true {
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT id, generation, topic, payload, attempts, created_at, claim_token, last_error FROM outbox o
                    WHERE status = 'pending' AND available_at <= \(Self.now) AND \(Self.claimableGeneration)
                      AND (o.topic IN (\(databaseQuestionMarks(count: topicFilter.topics.count)))) = ?
                    ORDER BY id LIMIT 1
                    """, arguments: [generation, silence != nil, generation, Self.silenceCutoff(silence)]
                        + StatementArguments(topicFilter.topics) + [topicFilter.inList]) else {
                    return ClaimOutcome(claim: nil, deadLettered: deadLettered)
                }
                var event = OutboxEvent(id: row["id"], generation: row["generation"], topic: row["topic"], payload: row["payload"],
                                        attempts: row["attempts"], createdAt: row["created_at"])
                // A token left behind: the claim of the last attempt never recorded an outcome.
                let unfinished: String? = (row["claim_token"] as String?).map { _ in
                    ClaimOutcome.unfinishedAttemptError(attempt: event.attempts)
                }
                if event.attempts >= maxAttempts {
                    try db.execute(sql: """
                        UPDATE outbox SET status = 'dead', claim_token = NULL, last_error = COALESCE(?, last_error) WHERE id = ?
                        """, arguments: [unfinished, event.id])
                    let lastError: String? = row["last_error"]
                    try Self.failSubmission(of: event, lastError: unfinished ?? lastError, db)
                    deadLettered.append(event)
                    continue
                }
                try db.execute(sql: """
                    UPDATE outbox SET attempts = attempts + 1, claim_token = ?, last_error = COALESCE(?, last_error),
                        available_at = strftime('%Y-%m-%d %H:%M:%f', 'now', ?)
                    WHERE id = ?
                    """, arguments: [token, unfinished, Self.offset(lease), event.id])
                event.attempts += 1
                return ClaimOutcome(claim: Claim(event: event, token: token), deadLettered: deadLettered)
            }
        }
    }

    public func complete(_ claim: Claim, handler: String, effect: HandlerEffect) async throws -> HandledEvent {
        let event = claim.event
        let handled = try await writeTransaction { db -> HandledEvent in
            // Checked inside the write transaction: no other writer can take the event before commit.
            guard try Self.holds(claim, db) else { throw StoreError.claimLost(eventID: event.id) }
            let result: HandledEvent.Result
            do {
                result = try Self.apply(effect, of: event, db)
                try Self.recordSubmissionVerdict(of: event, effect: effect, result: result, db)
            } catch {
                // Refused for this event's data (a constraint, an encoding): a failed attempt of
                // the event, so it is retried and finally dead-lettered instead of blocking the outbox.
                throw HandlerFailure(claim: claim, error: error, refusedBy: "SQLite")
            }
            try db.execute(sql: "INSERT INTO event_handled (event_id, handler) VALUES (?, ?)", arguments: [event.id, handler])
            try db.execute(sql: "UPDATE outbox SET status = 'done', claim_token = NULL, handled_at = \(Self.now) WHERE id = ?",
                           arguments: [event.id])
            return HandledEvent(event: event, result: result)
        }
        if case .published(let name, let version) = handled.result {
            LocalNotifications.shared.post(path: path, channel: .predicates, payload: "\(name)@\(version)")
        }
        if case .submitAuthored = effect { notifyOutbox(generation: event.generation) }
        return handled
    }

    /// Whether `claim` still holds its event: pending, with the claim's token.
    static func holds(_ claim: Claim, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM outbox WHERE id = ? AND status = 'pending' AND claim_token = ?",
                          arguments: [claim.event.id, claim.token]) ?? false
    }

    /// `+1.500 seconds`: a modifier for SQLite's `strftime`.
    static func offset(_ duration: Duration) -> String {
        String(format: "+%.3f seconds", duration.inSeconds)
    }

    static func apply(_ effect: HandlerEffect, of event: OutboxEvent, _ db: Database) throws -> HandledEvent.Result {
        switch effect {
        case .none:
            return .handled
        case .submitAuthored(let taskID, let turn, let definition):
            try submitAuthored(taskID: taskID, turn: turn, definition: definition, of: event, db)
            return .handled
        case .finishAuthoring(let taskID, let turn, let status, let detail):
            try recordAuthoringVerdict(AuthoringVerdict(status: status, detail: detail), taskID: taskID, turn: turn, db)
            return .handled
        case .reject(let rejection):
            try db.execute(sql: "INSERT INTO rejections (event_id, name, source, diagnostics, generation) VALUES (?, ?, ?, ?, ?)",
                           arguments: [event.id, rejection.name, rejection.source,
                                       AuthoringDiagnostic.listJSON(rejection.diagnostics), event.generation])
            return .rejected(name: rejection.name)
        case .unchanged(let name, let version):
            try db.execute(sql: "INSERT INTO unchanged_submissions (event_id, name, version, generation) VALUES (?, ?, ?, ?)",
                           arguments: [event.id, name, version, event.generation])
            return .unchanged(name: name, version: version)
        case .publish(let new):
            let request = new.request
            let version = try Int.fetchOne(db, sql: """
                INSERT INTO predicate_names (name, latest_version) VALUES (?, 1)
                ON CONFLICT (name) DO UPDATE SET latest_version = latest_version + 1, updated_at = \(now)
                RETURNING latest_version
                """, arguments: [request.name])!
            try db.execute(sql: """
                INSERT INTO predicates (name, version, source, declarations, bytecode, cost_bound, tests, author,
                                        description, generation, event_id, returns, mask, log_sample,
                                        impact_report, held_reason, findings)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [request.name, version, try storableText(request.source), new.declarationsJSON, Data(new.bytecode),
                                 new.costBound.map { Int64(clamping: $0) }, new.testsJSON, try storableText(request.author),
                                 try storableText(request.description), event.generation, event.id, request.returns,
                                 new.maskJSON, new.logSampleColumn, new.impactJSON, try new.heldReason.map(storableText), new.findingsJSON])
            if new.activates {
                try setActive(db, name: request.name, version: version, action: .publish, actor: try storableText(request.author))
            }
            return .published(name: request.name, version: version)
        }
    }

    /// SQLite stores U+0000 in text but GRDB reads text only up to it; refuse such text, as
    /// PostgreSQL does, rather than store what would read back cut short.
    static func storableText(_ text: String) throws -> String {
        guard !text.unicodeScalars.contains("\u{0}") else { throw StoreError.unstorable("text holding U+0000") }
        return text
    }

    public func recordFailure(_ claim: Claim, error: String, retryAfter: Duration, maxAttempts: Int) async throws -> FailureDisposition {
        try await writeTransaction { db in
            guard let row = try Row.fetchOne(db, sql: """
                UPDATE outbox SET last_error = ?, claim_token = NULL,
                    status = CASE WHEN attempts >= ? THEN 'dead' ELSE 'pending' END,
                    available_at = strftime('%Y-%m-%d %H:%M:%f', 'now', ?)
                WHERE id = ? AND status = 'pending' AND claim_token = ?
                RETURNING status, attempts
                """, arguments: [error, maxAttempts, Self.offset(retryAfter), claim.event.id, claim.token]) else {
                throw StoreError.claimLost(eventID: claim.event.id)
            }
            let attempts: Int = row["attempts"]
            guard row["status"] == "dead" else { return .retryScheduled(attempts: attempts) }
            try Self.failSubmission(of: claim.event, lastError: error, db)
            return .deadLettered(attempts: attempts)
        }
    }

    public func renewLease(_ claim: Claim, lease: Duration) async throws {
        try await writeTransaction { db in
            try db.execute(sql: """
                UPDATE outbox SET available_at = strftime('%Y-%m-%d %H:%M:%f', 'now', ?)
                WHERE id = ? AND status = 'pending' AND claim_token = ?
                """, arguments: [Self.offset(lease), claim.event.id, claim.token])
            guard db.changesCount == 1 else { throw StoreError.claimLost(eventID: claim.event.id) }
        }
    }

    public func requeue(eventID: Int64) async throws {
        try await writeTransaction { db in
            try db.execute(sql: "UPDATE outbox SET status = 'pending', attempts = 0, claim_token = NULL, available_at = \(Self.now) WHERE id = ? AND status = 'dead'",
                           arguments: [eventID])
            guard db.changesCount == 1 else { throw StoreError.unknownEvent(eventID) }
        }
        LocalNotifications.shared.post(path: path, channel: .outbox, payload: "")
    }

    public func backlog(generation: Int64) async throws -> OutboxBacklog {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(status = 'pending'), 0) AS pending, COALESCE(SUM(status = 'dead'), 0) AS dead,
                       COALESCE(MAX(CASE WHEN status = 'pending'
                           THEN (julianday('now') - julianday(created_at)) * 86400.0 END), 0.0) AS age
                FROM outbox WHERE generation = ? AND status != 'done'
                """, arguments: [generation])!
            return OutboxBacklog(pending: row["pending"], dead: row["dead"], oldestPendingAge: row["age"])
        }
    }

    public func deadEvents(limit: Int) async throws -> [DeadLetter] {
        try await pool.read { db in
            // The payload is never read; the error is cut here already (substr counts characters).
            try Row.fetchAll(db, sql: """
                SELECT id, generation, topic, attempts, substr(last_error, 1, ?) AS last_error, created_at FROM outbox
                WHERE status = 'dead' ORDER BY id DESC LIMIT ?
                """, arguments: [DeadLetter.maxErrorLength, limit]).map { row in
                DeadLetter(id: row["id"], generation: row["generation"], topic: row["topic"], attempts: row["attempts"],
                           lastError: row["last_error"], createdAt: row["created_at"])
            }
        }
    }

    public func listen(to channel: NotificationChannel, onNotification: @escaping @Sendable (String) -> Void) async throws {
        await LocalNotifications.shared.listen(path: path, channel: channel, deliver: onNotification)
    }
}
