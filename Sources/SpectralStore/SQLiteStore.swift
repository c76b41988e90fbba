import Foundation
import GRDB
import Logging
import Spectral

/// The embedded store: one SQLite file in WAL mode, shared safely by several processes
/// (SQLite's write lock serialises writers; readers never block). Claims take the write
/// lock with `BEGIN IMMEDIATE`, which is what `FOR UPDATE SKIP LOCKED` achieves on
/// PostgreSQL: one worker at a time holds an event.
public final class SQLiteStore: Store {
    public let backend = "sqlite"
    public let path: String
    let pool: DatabasePool
    let logger: Logger

    public init(path: String, logger: Logger) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Other processes (the API, a second worker, `spectral submit`) write the same file.
        configuration.busyMode = .timeout(30)
        self.path = path
        self.logger = logger
        pool = try DatabasePool(path: path, configuration: configuration)
    }

    /// SQLite's current time in the format the schema stores (UTC, sortable text).
    static let now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken at once, so
    /// reads inside see the data no other writer can change before commit.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    public func close() async {
        try? pool.close()
    }

    // MARK: Migrations

    public func migrate() async throws -> MigrationReport {
        try await writeTransaction { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,
                    applied_at TEXT NOT NULL DEFAULT (\(Self.now)))
                """)
            let applied = try Self.appliedMigrations(db)
            let pending = try Migration.pending(Migration.sqlite, applied: applied)
            for migration in pending {
                try db.execute(sql: migration.sql)
                try db.execute(sql: "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                               arguments: [migration.version, migration.name, migration.checksum])
            }
            let current = max(applied.keys.max() ?? 0, pending.last?.version ?? 0)
            return MigrationReport(applied: pending.map(\.version), current: current)
        }
    }

    public func requireCurrentSchema() async throws {
        let applied = try await pool.read { db -> [Int: String] in
            guard try db.tableExists("schema_migrations") else { return [:] }
            return try Self.appliedMigrations(db)
        }
        let required = Migration.required(Migration.sqlite)
        guard try Migration.pending(Migration.sqlite, applied: applied).isEmpty else {
            throw StoreError.schemaOutOfDate(applied: applied.keys.max() ?? 0, required: required)
        }
    }

    private static func appliedMigrations(_ db: Database) throws -> [Int: String] {
        var applied: [Int: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT version, checksum FROM schema_migrations") {
            applied[row["version"]] = row["checksum"]
        }
        return applied
    }

    // MARK: Submitting and status

    public func submit(topic: String, payload: String, generation: Int64) async throws -> Int64 {
        let id = try await writeTransaction { db in
            try db.execute(sql: "INSERT INTO outbox (generation, topic, payload) VALUES (?, ?, ?)",
                           arguments: [generation, topic, payload])
            return db.lastInsertedRowID
        }
        LocalNotifications.shared.post(path: path, channel: .outbox, payload: String(generation))
        return id
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
            if let published = try Row.fetchOne(db, sql: "SELECT name, version FROM predicates WHERE event_id = ?", arguments: [id]) {
                return .published(name: published["name"], version: published["version"])
            }
            if let rejected = try Row.fetchOne(db, sql: "SELECT name, diagnostics FROM rejections WHERE event_id = ?", arguments: [id]) {
                return .rejected(name: rejected["name"], diagnostics: AuthoringDiagnostic.list(jsonText: rejected["diagnostics"]))
            }
            return .handled
        }
    }

    // MARK: Predicates

    public func predicates() async throws -> [PredicateSummary] {
        try await pool.read { db in
            var versions: [String: [Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, version FROM predicates ORDER BY name, version") {
                versions[row["name"], default: []].append(row["version"])
            }
            return try Row.fetchAll(db, sql: "SELECT name, latest_version, active_version, updated_at FROM predicate_names ORDER BY name").map { row in
                let name: String = row["name"]
                return PredicateSummary(name: name, versions: versions[name] ?? [], activeVersion: row["active_version"],
                                        latestVersion: row["latest_version"], updatedAt: row["updated_at"])
            }
        }
    }

    private static let versionColumns = """
        p.name, p.version, p.source, p.declarations, p.bytecode, p.cost_bound, p.tests, p.author, p.description,
        p.generation, p.event_id, p.created_at, (n.active_version IS p.version) AS is_active
        FROM predicates p JOIN predicate_names n ON n.name = p.name
        """

    public func versions(of name: String) async throws -> [PredicateVersion] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.versionColumns) WHERE p.name = ? ORDER BY p.version", arguments: [name])
                .map(Self.predicateVersion)
        }
    }

    public func predicate(_ name: String, version: Int?) async throws -> PredicateVersion? {
        try await pool.read { db in
            let row: Row?
            if let version {
                row = try Row.fetchOne(db, sql: "SELECT \(Self.versionColumns) WHERE p.name = ? AND p.version = ?", arguments: [name, version])
            } else {
                row = try Row.fetchOne(db, sql: "SELECT \(Self.versionColumns) WHERE p.name = ? AND p.version = n.active_version", arguments: [name])
            }
            return try row.map(Self.predicateVersion)
        }
    }

    private static func predicateVersion(_ row: Row) throws -> PredicateVersion {
        let bytecode: Data = row["bytecode"]
        let costBound: Int64? = row["cost_bound"]
        return PredicateVersion(
            name: row["name"], version: row["version"], source: row["source"],
            declarations: try PredicateVersion.decodeDeclarations(row["declarations"]),
            bytecode: [UInt8](bytecode), costBound: costBound.map { UInt64($0) },
            tests: try PredicateVersion.decodeTests(row["tests"]), author: row["author"], description: row["description"],
            generation: row["generation"], eventID: row["event_id"], createdAt: row["created_at"], isActive: row["is_active"])
    }

    public func activate(_ name: String, version: Int) async throws {
        try await writeTransaction { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM predicate_names WHERE name = ?", arguments: [name]) != nil else {
                throw StoreError.unknownPredicate(name)
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM predicates WHERE name = ? AND version = ?", arguments: [name, version]) != nil else {
                throw StoreError.unknownVersion(name: name, version: version)
            }
            try Self.setActive(db, name: name, version: version, action: .activate)
        }
        LocalNotifications.shared.post(path: path, channel: .predicates, payload: "\(name)@\(version)")
    }

    public func rollback(_ name: String) async throws -> Int {
        let target = try await writeTransaction { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM predicate_names WHERE name = ?", arguments: [name]) != nil else {
                throw StoreError.unknownPredicate(name)
            }
            let entries = try Row.fetchAll(db, sql: "SELECT version, action FROM activations WHERE name = ? ORDER BY id", arguments: [name])
            let history = ActivationHistory(entries.map { (version: $0["version"], action: $0["action"]) })
            guard let target = history.rollbackTarget else { throw StoreError.nothingToRollBack(name) }
            try Self.setActive(db, name: name, version: target, action: .rollback)
            return target
        }
        LocalNotifications.shared.post(path: path, channel: .predicates, payload: "\(name)@\(target)")
        return target
    }

    private static func setActive(_ db: Database, name: String, version: Int, action: ActivationHistory.Action) throws {
        try db.execute(sql: "UPDATE predicate_names SET active_version = ?, updated_at = \(now) WHERE name = ?", arguments: [version, name])
        try db.execute(sql: "INSERT INTO activations (name, version, action) VALUES (?, ?, ?)", arguments: [name, version, action.rawValue])
    }

    // MARK: The outbox

    public func claimNext(generation: Int64,
                          handle: @escaping @Sendable (OutboxEvent) throws -> (handler: String, effect: HandlerEffect)) async throws -> HandledEvent? {
        let handled = try await writeTransaction { db -> HandledEvent? in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, generation, topic, payload, attempts, created_at FROM outbox
                WHERE status = 'pending' AND generation = ? AND available_at <= \(Self.now)
                ORDER BY id LIMIT 1
                """, arguments: [generation]) else { return nil }
            let event = OutboxEvent(id: row["id"], generation: row["generation"], topic: row["topic"], payload: row["payload"],
                                    attempts: row["attempts"], createdAt: row["created_at"])
            let handler: String, effect: HandlerEffect
            do { (handler, effect) = try handle(event) } catch {
                throw HandlerFailure(event: event, error: error)
            }
            let result: HandledEvent.Result
            do { result = try Self.apply(effect, of: event, db) } catch {
                // Refused for this event's data (a constraint, an encoding): a failed attempt of
                // the event, so it is retried and finally dead-lettered instead of blocking the outbox.
                throw HandlerFailure(event: event, error: error, refusedBy: "SQLite")
            }
            try db.execute(sql: "INSERT INTO event_handled (event_id, handler) VALUES (?, ?)", arguments: [event.id, handler])
            try db.execute(sql: "UPDATE outbox SET status = 'done', handled_at = \(Self.now) WHERE id = ?", arguments: [event.id])
            return HandledEvent(event: event, result: result)
        }
        if case .published(let name, let version) = handled?.result {
            LocalNotifications.shared.post(path: path, channel: .predicates, payload: "\(name)@\(version)")
        }
        return handled
    }

    private static func apply(_ effect: HandlerEffect, of event: OutboxEvent, _ db: Database) throws -> HandledEvent.Result {
        switch effect {
        case .none:
            return .handled
        case .reject(let rejection):
            try db.execute(sql: "INSERT INTO rejections (event_id, name, source, diagnostics, generation) VALUES (?, ?, ?, ?, ?)",
                           arguments: [event.id, rejection.name, rejection.source,
                                       AuthoringDiagnostic.listJSON(rejection.diagnostics), event.generation])
            return .rejected(name: rejection.name)
        case .publish(let new):
            let request = new.request
            let version = try Int.fetchOne(db, sql: """
                INSERT INTO predicate_names (name, latest_version) VALUES (?, 1)
                ON CONFLICT (name) DO UPDATE SET latest_version = latest_version + 1, updated_at = \(now)
                RETURNING latest_version
                """, arguments: [request.name])!
            try db.execute(sql: """
                INSERT INTO predicates (name, version, source, declarations, bytecode, cost_bound, tests, author,
                                        description, generation, event_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [request.name, version, try storableText(request.source), new.declarationsJSON, Data(new.bytecode),
                                 new.costBound.map { Int64(clamping: $0) }, new.testsJSON, try storableText(request.author),
                                 try storableText(request.description), event.generation, event.id])
            if request.activate {
                try setActive(db, name: request.name, version: version, action: .publish)
            }
            return .published(name: request.name, version: version)
        }
    }

    /// SQLite stores U+0000 in text but GRDB reads text only up to it; refuse such text, as
    /// PostgreSQL does, rather than store what would read back cut short.
    private static func storableText(_ text: String) throws -> String {
        guard !text.unicodeScalars.contains("\u{0}") else { throw StoreError.unstorable("text holding U+0000") }
        return text
    }

    public func recordFailure(eventID: Int64, error: String, retryAfter: Duration, maxAttempts: Int) async throws -> FailureDisposition {
        let seconds = Double(retryAfter.components.seconds) + Double(retryAfter.components.attoseconds) / 1e18
        return try await writeTransaction { db in
            guard let row = try Row.fetchOne(db, sql: """
                UPDATE outbox SET attempts = attempts + 1, last_error = ?,
                    status = CASE WHEN attempts + 1 >= ? THEN 'dead' ELSE 'pending' END,
                    available_at = strftime('%Y-%m-%d %H:%M:%f', 'now', ?)
                WHERE id = ? AND status = 'pending'
                RETURNING status, attempts
                """, arguments: [error, maxAttempts, String(format: "+%.3f seconds", seconds), eventID]) else {
                throw StoreError.unknownEvent(eventID)
            }
            let attempts: Int = row["attempts"]
            return row["status"] == "dead" ? .deadLettered(attempts: attempts) : .retryScheduled(attempts: attempts)
        }
    }

    public func requeue(eventID: Int64) async throws {
        try await writeTransaction { db in
            try db.execute(sql: "UPDATE outbox SET status = 'pending', attempts = 0, available_at = \(Self.now) WHERE id = ? AND status = 'dead'",
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

    public func listen(to channel: NotificationChannel, onNotification: @escaping @Sendable (String) -> Void) async throws {
        await LocalNotifications.shared.listen(path: path, channel: channel, deliver: onNotification)
    }
}
