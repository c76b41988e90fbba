import Foundation
import Logging
import PostgresNIO
import Spectral
import SpectralCatalog

/// Submitting, claiming and completing outbox events; retries and dead letters.
extension PostgresStore {
    // MARK: Submitting and status

    public func submit(topic: String, payload: String, generation: Int64) async throws -> Int64 {
        try await transaction { [self] connection in
            try await insertOutbox(topic: topic, payload: payload, generation: generation, connection)
        }
    }

    /// Writes an event to the outbox in the caller's transaction and wakes the workers of its
    /// generation (NOTIFY is delivered at commit, and only if the transaction commits);
    /// returns its id.
    func insertOutbox(topic: String, payload: String, generation: Int64, _ connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.checkedQuery("""
            INSERT INTO spectral.outbox (generation, topic, payload) VALUES (\(generation), \(topic), \(payload))
            RETURNING id
            """, logger: logger)
        guard let id = try await rows.decode(Int64.self).first(where: { _ in true }) else {
            throw StoreError.corruptRow("INSERT … RETURNING id returned no row")
        }
        try await connection.checkedQuery("SELECT pg_notify(\(NotificationChannel.outbox.rawValue), \(String(generation)))", logger: logger)
        return id
    }

    func insertOutbox(_ message: OutboxMessage, generation: Int64, _ connection: PostgresConnection) async throws -> Int64 {
        try await insertOutbox(topic: message.topic, payload: message.payload, generation: generation, connection)
    }

    public func status(ofEvent id: Int64) async throws -> EventStatus {
        try await withConnection { [logger] connection in
            let rows = try await connection.checkedQuery("""
                SELECT o.status, o.attempts, o.last_error, p.name, p.version, r.name, r.diagnostics, p.held_reason, p.impact_report, p.findings, u.name, u.version
                FROM spectral.outbox o
                LEFT JOIN spectral.predicates p ON p.event_id = o.id
                LEFT JOIN spectral.rejections r ON r.event_id = o.id
                LEFT JOIN spectral.unchanged_submissions u ON u.event_id = o.id
                WHERE o.id = \(id)
                """, logger: logger)
            for try await (status, attempts, lastError, name, version, rejectedName, diagnostics, heldReason, impact, findings, sameName, sameVersion)
                in rows.decode((String, Int, String?, String?, Int?, String?, String?, String?, String?, String?, String?, Int?).self) {
                switch status {
                case "pending": return .pending(attempts: attempts, lastError: lastError)
                case "dead": return .deadLettered(attempts: attempts, lastError: lastError)
                default: break
                }
                if let name, let version, let heldReason {
                    return .held(name: name, version: version, reason: heldReason, impact: try PredicateVersion.decodeImpact(impact),
                                 findings: try PredicateVersion.decodeFindings(findings))
                }
                if let name, let version { return .published(name: name, version: version) }
                if let sameName, let sameVersion { return .unchanged(name: sameName, version: sameVersion) }
                if let rejectedName {
                    return .rejected(name: rejectedName, diagnostics: AuthoringDiagnostic.list(jsonText: diagnostics ?? "[]"))
                }
                return .handled
            }
            throw StoreError.unknownEvent(id)
        }
    }

    // MARK: The outbox

    /// One statement per candidate, so one round trip per claim (a transaction of a locking
    /// SELECT and an UPDATE took four, and halved the worker's throughput): the CTE picks and
    /// locks the oldest claimable event whose topic `topics` admits, skipping rows other
    /// claims hold, and the UPDATE either leases it (counting the attempt) or, when every
    /// attempt is used, parks it as dead and the loop considers the next. SET expressions
    /// read the row as it was.
    ///
    /// The exception: an authoring task's submission out of attempts is left alone by the
    /// statement and parked by `deadLetterSubmission`, which fails its task in the same
    /// transaction (the task's verdict is JSON built in Swift from the event's last error,
    /// which one statement cannot do). Dead-lettering is rare: the common claim stays one
    /// round trip.
    public func claim(generation: Int64, adoptingAfter silence: Duration?, lease: Duration, maxAttempts: Int,
                      topics: OutboxTopics) async throws -> ClaimOutcome {
        let token = UUID().uuidString
        let leaseSeconds = lease.inSeconds
        let adopts = silence != nil
        let silenceSeconds = (silence ?? .zero).inSeconds
        let topicFilter = topics.sqlCondition
        return try await withConnection { [self] connection in
            var deadLettered: [OutboxEvent] = []
            while true {
                // An older generation's event is adoptable when none of that generation's
                // workers runs: each stopped, or silent for longer than `silence`. A token
                // left behind means the last attempt's claim never recorded an outcome.
                let rows = try await connection.checkedQuery("""
                    WITH candidate AS (
                        SELECT id FROM spectral.outbox o
                        WHERE status = 'pending' AND available_at <= now()
                          AND (generation = \(generation) OR (\(adopts) AND generation < \(generation) AND NOT EXISTS (
                              SELECT 1 FROM spectral.workers w WHERE w.generation = o.generation AND w.stopped_at IS NULL
                                AND w.heartbeat_at > now() - make_interval(secs => \(silenceSeconds)))))
                          AND (o.topic = ANY(\(topicFilter.topics))) = \(topicFilter.inList)
                        ORDER BY id LIMIT 1
                        FOR UPDATE SKIP LOCKED),
                    claimed AS (
                        UPDATE spectral.outbox o SET
                            status = CASE WHEN o.attempts >= \(maxAttempts) THEN 'dead' ELSE 'pending' END,
                            attempts = CASE WHEN o.attempts >= \(maxAttempts) THEN o.attempts ELSE o.attempts + 1 END,
                            claim_token = CASE WHEN o.attempts >= \(maxAttempts) THEN NULL ELSE \(token) END,
                            last_error = CASE WHEN o.claim_token IS NULL THEN o.last_error
                                ELSE replace(\(ClaimOutcome.unfinishedAttemptTemplate), \(ClaimOutcome.attemptPlaceholder), o.attempts::text) END,
                            available_at = CASE WHEN o.attempts >= \(maxAttempts) THEN o.available_at
                                ELSE now() + make_interval(secs => \(leaseSeconds)) END
                        FROM candidate WHERE o.id = candidate.id
                          AND (o.attempts < \(maxAttempts) OR NOT EXISTS (
                              SELECT 1 FROM spectral.authoring_submissions s WHERE s.event_id = o.id))
                        RETURNING o.id, o.generation, o.topic, o.payload, o.attempts, o.created_at, o.status)
                    SELECT candidate.id, claimed.generation, claimed.topic, claimed.payload, claimed.attempts, claimed.created_at,
                           claimed.status
                    FROM candidate LEFT JOIN claimed ON claimed.id = candidate.id
                    """, logger: logger)
                var found: (id: Int64, event: OutboxEvent?, status: String?)?
                for try await (id, generation, topic, payload, attempts, createdAt, status)
                    in rows.decode((Int64, Int64?, String?, String?, Int?, Date?, String?).self) {
                    var event: OutboxEvent?
                    if let generation, let topic, let payload, let attempts, let createdAt {
                        event = OutboxEvent(id: id, generation: generation, topic: topic, payload: payload, attempts: attempts,
                                            createdAt: createdAt)
                    }
                    found = (id, event, status)
                }
                guard let found else { return ClaimOutcome(claim: nil, deadLettered: deadLettered) }
                guard let event = found.event else {
                    // A task's submission with every attempt used: the statement left it.
                    if let dead = try await deadLetterSubmission(found.id, maxAttempts: maxAttempts, connection) { deadLettered.append(dead) }
                    continue
                }
                guard found.status == "dead" else {
                    return ClaimOutcome(claim: Claim(event: event, token: token), deadLettered: deadLettered)
                }
                deadLettered.append(event)
            }
        }
    }

    /// Parks a task's submission that used every attempt, as `claim`'s statement parks any
    /// other event, and fails its task, in one transaction; nil when the event changed
    /// meanwhile (another claim parked it, an operator requeued it).
    private func deadLetterSubmission(_ id: Int64, maxAttempts: Int, _ connection: PostgresConnection) async throws -> OutboxEvent? {
        try await transaction(on: connection) { [self] connection in
            let rows = try await connection.checkedQuery("""
                UPDATE spectral.outbox o SET status = 'dead', claim_token = NULL,
                    last_error = CASE WHEN o.claim_token IS NULL THEN o.last_error
                        ELSE replace(\(ClaimOutcome.unfinishedAttemptTemplate), \(ClaimOutcome.attemptPlaceholder), o.attempts::text) END
                WHERE o.id = \(id) AND o.status = 'pending' AND o.attempts >= \(maxAttempts) AND o.available_at <= now()
                RETURNING o.id, o.generation, o.topic, o.payload, o.attempts, o.created_at, o.last_error
                """, logger: logger)
            var dead: (event: OutboxEvent, lastError: String?)?
            for try await (id, generation, topic, payload, attempts, createdAt, lastError)
                in rows.decode((Int64, Int64, String, String, Int, Date, String?).self) {
                dead = (OutboxEvent(id: id, generation: generation, topic: topic, payload: payload, attempts: attempts, createdAt: createdAt),
                        lastError)
            }
            guard let dead else { return nil }
            try await failSubmission(of: dead.event, lastError: dead.lastError, connection)
            return dead.event
        }
    }

    public func complete(_ claim: Claim, handler: String, effect: HandlerEffect) async throws -> HandledEvent {
        let event = claim.event
        return try await transaction { [self] connection in
            // One statement checks the claim still holds the event, marks it done (locking
            // the row: a claim made meanwhile waits for this transaction, then finds it done)
            // and records it handled; the effect follows in the same transaction, so all of
            // it commits or none does.
            let rows = try await connection.checkedQuery("""
                WITH done AS (
                    UPDATE spectral.outbox SET status = 'done', claim_token = NULL, handled_at = now()
                    WHERE id = \(event.id) AND status = 'pending' AND claim_token = \(claim.token)
                    RETURNING id)
                INSERT INTO spectral.event_handled (event_id, handler) SELECT id, \(handler) FROM done
                RETURNING 1
                """, logger: logger)
            guard try await rows.decode(Int.self).first(where: { _ in true }) != nil else {
                throw StoreError.claimLost(eventID: event.id)
            }
            let result: HandledEvent.Result
            do {
                result = try await apply(effect, of: event, connection)
                try await recordSubmissionVerdict(of: event, effect: effect, result: result, connection)
            } catch let error as PSQLError where Self.isDataError(error) {
                // Refused for this event's data (a constraint, an encoding): a failed attempt of
                // the event, so it is retried and finally dead-lettered instead of blocking the
                // outbox. Connection errors stay store errors: the event is not at fault.
                throw HandlerFailure(claim: claim, error: error, refusedBy: "PostgreSQL")
            }
            return HandledEvent(event: event, result: result)
        }
    }

    func apply(_ effect: HandlerEffect, of event: OutboxEvent, _ connection: PostgresConnection) async throws -> HandledEvent.Result {
        switch effect {
        case .none:
            return .handled
        case .submitAuthored(let taskID, let turn, let definition):
            try await submitAuthored(taskID: taskID, turn: turn, definition: definition, of: event, connection)
            return .handled
        case .finishAuthoring(let taskID, let turn, let status, let detail):
            try await recordAuthoringVerdict(AuthoringVerdict(status: status, detail: detail), taskID: taskID, turn: turn, connection)
            return .handled
        case .reject(let rejection):
            try await connection.checkedQuery("""
                INSERT INTO spectral.rejections (event_id, name, source, diagnostics, generation)
                VALUES (\(event.id), \(rejection.name), \(rejection.source),
                        \(AuthoringDiagnostic.listJSON(rejection.diagnostics)), \(event.generation))
                """, logger: logger)
            return .rejected(name: rejection.name)
        case .unchanged(let name, let version):
            try await connection.checkedQuery(
                "INSERT INTO spectral.unchanged_submissions (event_id, name, version, generation) VALUES (\(event.id), \(name), \(version), \(event.generation))",
                logger: logger)
            return .unchanged(name: name, version: version)
        case .publish(let new):
            let request = new.request
            // The upsert locks the name's row, so concurrent publications of one name number in turn.
            let rows = try await connection.checkedQuery("""
                INSERT INTO spectral.predicate_names AS n (name, latest_version) VALUES (\(request.name), 1)
                ON CONFLICT (name) DO UPDATE SET latest_version = n.latest_version + 1, updated_at = now()
                RETURNING latest_version
                """, logger: logger)
            guard let version = try await rows.decode(Int.self).first(where: { _ in true }) else {
                throw StoreError.corruptRow("predicate_names upsert returned no row")
            }
            try await connection.checkedQuery("""
                INSERT INTO spectral.predicates (name, version, source, declarations, bytecode, cost_bound, tests, author,
                                                 description, generation, event_id, returns, mask, log_sample,
                                                 impact_report, held_reason, findings)
                VALUES (\(request.name), \(version), \(request.source), \(new.declarationsJSON), \(ByteBuffer(bytes: new.bytecode)),
                        \(new.costBound.map { Int64(clamping: $0) }), \(new.testsJSON), \(request.author),
                        \(request.description), \(event.generation), \(event.id), \(request.returns), \(new.maskJSON),
                        \(new.logSampleColumn), \(new.impactJSON), \(new.heldReason), \(new.findingsJSON))
                """, logger: logger)
            if new.activates {
                try await setActive(connection, name: request.name, version: version, action: .publish, actor: request.author)
            }
            try await notifyPredicates(connection, "\(request.name)@\(version)")
            return .published(name: request.name, version: version)
        }
    }

    /// A transaction, not one statement: a task's submission dead-lettered here fails its
    /// task in the same commit.
    public func recordFailure(_ claim: Claim, error: String, retryAfter: Duration, maxAttempts: Int) async throws -> FailureDisposition {
        let seconds = retryAfter.inSeconds
        return try await transaction { [self] connection in
            let rows = try await connection.checkedQuery("""
                UPDATE spectral.outbox SET last_error = \(error), claim_token = NULL,
                    status = CASE WHEN attempts >= \(maxAttempts) THEN 'dead' ELSE 'pending' END,
                    available_at = now() + make_interval(secs => \(seconds))
                WHERE id = \(claim.event.id) AND status = 'pending' AND claim_token = \(claim.token)
                RETURNING status, attempts
                """, logger: logger)
            guard let (status, attempts) = try await rows.decode((String, Int).self).first(where: { _ in true }) else {
                throw StoreError.claimLost(eventID: claim.event.id)
            }
            guard status == "dead" else { return .retryScheduled(attempts: attempts) }
            try await failSubmission(of: claim.event, lastError: error, connection)
            return .deadLettered(attempts: attempts)
        }
    }

    public func renewLease(_ claim: Claim, lease: Duration) async throws {
        let seconds = lease.inSeconds
        try await withConnection { [logger] connection in
            let rows = try await connection.checkedQuery("""
                UPDATE spectral.outbox SET available_at = now() + make_interval(secs => \(seconds))
                WHERE id = \(claim.event.id) AND status = 'pending' AND claim_token = \(claim.token)
                RETURNING id
                """, logger: logger)
            guard try await rows.decode(Int64.self).first(where: { _ in true }) != nil else {
                throw StoreError.claimLost(eventID: claim.event.id)
            }
        }
    }

    public func requeue(eventID: Int64) async throws {
        try await transaction { [self] connection in
            let rows = try await connection.checkedQuery("""
                UPDATE spectral.outbox SET status = 'pending', attempts = 0, claim_token = NULL, available_at = now()
                WHERE id = \(eventID) AND status = 'dead' RETURNING generation
                """, logger: logger)
            guard let generation = try await rows.decode(Int64.self).first(where: { _ in true }) else {
                throw StoreError.unknownEvent(eventID)
            }
            try await connection.checkedQuery("SELECT pg_notify(\(NotificationChannel.outbox.rawValue), \(String(generation)))", logger: logger)
        }
    }

    public func backlog(generation: Int64) async throws -> OutboxBacklog {
        try await withConnection { [logger] connection in
        let rows = try await connection.checkedQuery("""
            SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'dead'),
                   COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'pending')), 0)::float8
            FROM spectral.outbox WHERE generation = \(generation) AND status <> 'done'
            """, logger: logger)
        for try await (pending, dead, age) in rows.decode((Int, Int, Double).self) {
            return OutboxBacklog(pending: pending, dead: dead, oldestPendingAge: age)
        }
        return OutboxBacklog(pending: 0, dead: 0, oldestPendingAge: 0)
        }
    }

    public func deadEvents(limit: Int) async throws -> [DeadLetter] {
        try await withConnection { [logger] connection in
            // The payload is never read; the error is cut here already (left counts characters).
            let rows = try await connection.checkedQuery("""
                SELECT id, generation, topic, attempts, left(last_error, \(unescaped: String(DeadLetter.maxErrorLength))), created_at FROM spectral.outbox
                WHERE status = 'dead' ORDER BY id DESC LIMIT \(limit)
                """, logger: logger)
            var events: [DeadLetter] = []
            for try await (id, generation, topic, attempts, lastError, createdAt)
                in rows.decode((Int64, Int64, String, Int, String?, Date).self) {
                events.append(DeadLetter(id: id, generation: generation, topic: topic, attempts: attempts, lastError: lastError,
                                         createdAt: createdAt))
            }
            return events
        }
    }

    public func listen(to channel: NotificationChannel, onNotification: @escaping @Sendable (String) -> Void) async throws {
        try await PostgresListener(location: location, channel: channel, logger: logger).run(onNotification: onNotification)
    }

    /// Errors about the data written (SQLSTATE classes 22, data exception, and 23, integrity
    /// constraint violation) are the event's; shutdowns, lost connections, serialisation
    /// failures and deadlocks are the store's, and retried without counting an attempt.
    static func isDataError(_ error: PSQLError) -> Bool {
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else { return false }
        return state.hasPrefix("22") || state.hasPrefix("23")
    }
}
