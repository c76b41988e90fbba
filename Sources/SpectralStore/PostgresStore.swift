import Foundation
import Logging
import PostgresNIO
import Spectral
import Synchronization

/// The production store: PostgreSQL, schema `spectral`, through a PostgresNIO connection
/// pool. Claims use `FOR UPDATE SKIP LOCKED`, so workers of one generation share the
/// backlog without waiting on each other; NOTIFY tells workers and API processes about
/// new events and versions.
///
/// A lost server (restart, failover) surfaces as driver errors from the calls in flight;
/// the pool opens new connections for later calls, so callers retry.
public final class PostgresStore: Store {
    public let backend = "postgres"
    let location: PostgresLocation
    let logger: Logger
    private let maximumConnections: Int
    /// The longest one store call may take before it is abandoned and the connection pool
    /// replaced (a pool can wait forever for a server that went away mid-lease).
    let operationTimeout: Duration
    private let pool: Mutex<Pool>

    /// A PostgresNIO client and the task running it.
    private struct Pool {
        var client: PostgresClient
        var runTask: Task<Void, Never>
    }

    public init(_ location: PostgresLocation, logger: Logger, maximumConnections: Int = 10,
                operationTimeout: Duration = .seconds(15)) throws {
        self.location = location
        self.logger = logger
        self.maximumConnections = maximumConnections
        self.operationTimeout = operationTimeout
        pool = Mutex(try Self.makePool(location, logger: logger, maximumConnections: maximumConnections))
    }

    private static func makePool(_ location: PostgresLocation, logger: Logger, maximumConnections: Int) throws -> Pool {
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: try clientTLS(location.sslMode))
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        // The pool's own warnings repeat what our callers log with more context, and one of
        // them fires spuriously when a call races the pool's start-up.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: configuration, backgroundLogger: poolLogger)
        return Pool(client: client, runTask: Task { await client.run() })
    }

    /// Runs `body` with the current client, abandoning it after `operationTimeout`; a call
    /// that timed out replaces the pool, so the next call starts on fresh connections.
    func withClient<T: Sendable>(_ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = pool.withLock { $0.client }
        do {
            return try await Deadline.run(within: operationTimeout) { try await body(client) }
        } catch is Deadline.Exceeded {
            logger.warning("store call timed out; replacing the connection pool", metadata: ["timeout": "\(operationTimeout)"])
            if let fresh = try? Self.makePool(location, logger: logger, maximumConnections: maximumConnections) {
                let stale = pool.withLock { current -> Pool? in
                    guard current.client === client else { return nil }  // another call replaced it already
                    defer { current = fresh }
                    return current
                }
                if let stale { stale.runTask.cancel() } else { fresh.runTask.cancel() }
            }
            throw StoreError.timedOut(operationTimeout)
        }
    }

    private static func clientTLS(_ mode: String) throws -> PostgresClient.Configuration.TLS {
        switch mode {
        case "disable": return .disable
        case "require": return .require(.makeClientConfiguration())
        default:
            // As libpq's `prefer`: encrypt when the server offers it, without verifying its certificate.
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return .prefer(tls)
        }
    }

    public func close() async {
        let runTask = pool.withLock { $0.runTask }
        runTask.cancel()
        await runTask.value
    }

    /// Runs `body` in a transaction; errors thrown by `body` come out unwrapped.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withClient { [logger] client in
            do {
                return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
            } catch let error as PostgresTransactionError {
                throw error.closureError ?? error.commitError ?? error.beginError ?? error
            }
        }
    }

    /// Runs `body` on one pooled connection, outside a transaction.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withClient { client in try await client.withConnection { connection in try await body(connection) } }
    }

    // MARK: Migrations

    /// Serialises concurrent `migrate` calls (several processes starting at once).
    private static let migrationLockKey: Int64 = 0x5350_4543_5452_414C  // "SPECTRAL"

    public func migrate() async throws -> MigrationReport {
        try await transaction { [self] connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))", logger: logger)
            try await connection.query("CREATE SCHEMA IF NOT EXISTS spectral", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS spectral.schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            let applied = try await appliedMigrations(connection)
            let pending = try Migration.pending(Migration.postgres, applied: applied)
            for migration in pending {
                for statement in SQLStatements.split(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("""
                    INSERT INTO spectral.schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """, logger: logger)
            }
            let current = max(applied.keys.max() ?? 0, pending.last?.version ?? 0)
            return MigrationReport(applied: pending.map(\.version), current: current)
        }
    }

    public func requireCurrentSchema() async throws {
        let applied = try await withConnection { [self] connection -> [Int: String] in
            let exists = try await connection.query("SELECT to_regclass('spectral.schema_migrations') IS NOT NULL", logger: logger)
                .decode(Bool.self).first { _ in true } ?? false
            return exists ? try await appliedMigrations(connection) : [:]
        }
        guard try Migration.pending(Migration.postgres, applied: applied).isEmpty else {
            throw StoreError.schemaOutOfDate(applied: applied.keys.max() ?? 0, required: Migration.required(Migration.postgres))
        }
    }

    private func appliedMigrations(_ connection: PostgresConnection) async throws -> [Int: String] {
        var applied: [Int: String] = [:]
        let rows = try await connection.query("SELECT version, checksum FROM spectral.schema_migrations", logger: logger)
        for try await (version, checksum) in rows.decode((Int, String).self) { applied[version] = checksum }
        return applied
    }

    // MARK: Submitting and status

    public func submit(topic: String, payload: String, generation: Int64) async throws -> Int64 {
        try await transaction { [self] connection in
            let rows = try await connection.query("""
                INSERT INTO spectral.outbox (generation, topic, payload) VALUES (\(generation), \(topic), \(payload))
                RETURNING id
                """, logger: logger)
            guard let id = try await rows.decode(Int64.self).first(where: { _ in true }) else {
                throw StoreError.corruptRow("INSERT … RETURNING id returned no row")
            }
            // Delivered at commit, and only if the transaction commits.
            try await connection.query("SELECT pg_notify(\(NotificationChannel.outbox.rawValue), \(String(generation)))", logger: logger)
            return id
        }
    }

    public func status(ofEvent id: Int64) async throws -> EventStatus {
        try await withConnection { [logger] connection in
            let rows = try await connection.query("""
                SELECT o.status, o.attempts, o.last_error, p.name, p.version, r.name, r.diagnostics
                FROM spectral.outbox o
                LEFT JOIN spectral.predicates p ON p.event_id = o.id
                LEFT JOIN spectral.rejections r ON r.event_id = o.id
                WHERE o.id = \(id)
                """, logger: logger)
            for try await (status, attempts, lastError, name, version, rejectedName, diagnostics)
                in rows.decode((String, Int, String?, String?, Int?, String?, String?).self) {
                switch status {
                case "pending": return .pending(attempts: attempts, lastError: lastError)
                case "dead": return .deadLettered(attempts: attempts, lastError: lastError)
                default: break
                }
                if let name, let version { return .published(name: name, version: version) }
                if let rejectedName {
                    return .rejected(name: rejectedName, diagnostics: AuthoringDiagnostic.list(jsonText: diagnostics ?? "[]"))
                }
                return .handled
            }
            throw StoreError.unknownEvent(id)
        }
    }

    // MARK: Predicates

    public func predicates() async throws -> [PredicateSummary] {
        try await withConnection { [logger] connection in
            var versions: [String: [Int]] = [:]
            let versionRows = try await connection.query("SELECT name, version FROM spectral.predicates ORDER BY name, version", logger: logger)
            for try await (name, version) in versionRows.decode((String, Int).self) { versions[name, default: []].append(version) }
            var summaries: [PredicateSummary] = []
            let rows = try await connection.query(
                "SELECT name, latest_version, active_version, updated_at FROM spectral.predicate_names ORDER BY name", logger: logger)
            for try await (name, latest, active, updated) in rows.decode((String, Int, Int?, Date).self) {
                summaries.append(PredicateSummary(name: name, versions: versions[name] ?? [], activeVersion: active,
                                                  latestVersion: latest, updatedAt: updated))
            }
            return summaries
        }
    }

    private typealias VersionRow = (String, Int, String, String, ByteBuffer, Int64?, String, String, String, Int64, Int64, Date, Bool)

    private static let versionColumns = """
        SELECT p.name, p.version, p.source, p.declarations, p.bytecode, p.cost_bound, p.tests, p.author, p.description,
               p.generation, p.event_id, p.created_at, n.active_version IS NOT DISTINCT FROM p.version
        FROM spectral.predicates p JOIN spectral.predicate_names n ON n.name = p.name
        """

    public func versions(of name: String) async throws -> [PredicateVersion] {
        try await withConnection { [logger] connection in
            let rows = try await connection.query("\(unescaped: Self.versionColumns) WHERE p.name = \(name) ORDER BY p.version", logger: logger)
            var versions: [PredicateVersion] = []
            for try await row in rows.decode(VersionRow.self) { versions.append(try Self.predicateVersion(row)) }
            return versions
        }
    }

    public func predicate(_ name: String, version: Int?) async throws -> PredicateVersion? {
        try await withConnection { [logger] connection in
            let rows = try await connection.query(version.map { version in
                "\(unescaped: Self.versionColumns) WHERE p.name = \(name) AND p.version = \(version)"
            } ?? "\(unescaped: Self.versionColumns) WHERE p.name = \(name) AND p.version = n.active_version", logger: logger)
            for try await row in rows.decode(VersionRow.self) { return try Self.predicateVersion(row) }
            return nil
        }
    }

    private static func predicateVersion(_ row: VersionRow) throws -> PredicateVersion {
        let (name, version, source, declarations, bytecode, costBound, tests, author, description, generation, eventID, createdAt, isActive) = row
        return PredicateVersion(
            name: name, version: version, source: source, declarations: try PredicateVersion.decodeDeclarations(declarations),
            bytecode: Array(bytecode.readableBytesView), costBound: costBound.map { UInt64($0) },
            tests: try PredicateVersion.decodeTests(tests), author: author, description: description,
            generation: generation, eventID: eventID, createdAt: createdAt, isActive: isActive)
    }

    public func activate(_ name: String, version: Int) async throws {
        try await transaction { [self] connection in
            let exists = try await connection.query("SELECT 1 FROM spectral.predicate_names WHERE name = \(name) FOR UPDATE", logger: logger)
            guard try await exists.decode(Int.self).first(where: { _ in true }) != nil else { throw StoreError.unknownPredicate(name) }
            let found = try await connection.query(
                "SELECT 1 FROM spectral.predicates WHERE name = \(name) AND version = \(version)", logger: logger)
            guard try await found.decode(Int.self).first(where: { _ in true }) != nil else {
                throw StoreError.unknownVersion(name: name, version: version)
            }
            try await setActive(connection, name: name, version: version, action: .activate)
            try await notifyPredicates(connection, "\(name)@\(version)")
        }
    }

    public func rollback(_ name: String) async throws -> Int {
        try await transaction { [self] connection in
            // Lock the name first: concurrent rollbacks of one predicate take turns.
            let locked = try await connection.query("SELECT 1 FROM spectral.predicate_names WHERE name = \(name) FOR UPDATE", logger: logger)
            guard try await locked.decode(Int.self).first(where: { _ in true }) != nil else { throw StoreError.unknownPredicate(name) }
            var entries: [(version: Int, action: String)] = []
            let rows = try await connection.query(
                "SELECT version, action FROM spectral.activations WHERE name = \(name) ORDER BY id", logger: logger)
            for try await (version, action) in rows.decode((Int, String).self) { entries.append((version, action)) }
            guard let target = ActivationHistory(entries).rollbackTarget else { throw StoreError.nothingToRollBack(name) }
            try await setActive(connection, name: name, version: target, action: .rollback)
            try await notifyPredicates(connection, "\(name)@\(target)")
            return target
        }
    }

    private func setActive(_ connection: PostgresConnection, name: String, version: Int, action: ActivationHistory.Action) async throws {
        try await connection.query(
            "UPDATE spectral.predicate_names SET active_version = \(version), updated_at = now() WHERE name = \(name)", logger: logger)
        try await connection.query(
            "INSERT INTO spectral.activations (name, version, action) VALUES (\(name), \(version), \(action.rawValue))", logger: logger)
    }

    /// Delivered at commit, and only if the transaction commits.
    private func notifyPredicates(_ connection: PostgresConnection, _ reference: String) async throws {
        try await connection.query("SELECT pg_notify(\(NotificationChannel.predicates.rawValue), \(reference))", logger: logger)
    }

    // MARK: The outbox

    public func claimNext(generation: Int64,
                          handle: @escaping @Sendable (OutboxEvent) throws -> (handler: String, effect: HandlerEffect)) async throws -> HandledEvent? {
        try await transaction { [self] connection in
            let rows = try await connection.query("""
                SELECT id, generation, topic, payload, attempts, created_at FROM spectral.outbox
                WHERE status = 'pending' AND generation = \(generation) AND available_at <= now()
                ORDER BY id LIMIT 1
                FOR UPDATE SKIP LOCKED
                """, logger: logger)
            var claimed: OutboxEvent?
            for try await (id, generation, topic, payload, attempts, createdAt) in rows.decode((Int64, Int64, String, String, Int, Date).self) {
                claimed = OutboxEvent(id: id, generation: generation, topic: topic, payload: payload, attempts: attempts, createdAt: createdAt)
            }
            guard let event = claimed else { return nil }
            let handler: String, effect: HandlerEffect
            do { (handler, effect) = try handle(event) } catch {
                throw HandlerFailure(event: event, error: error)
            }
            let result: HandledEvent.Result
            do { result = try await apply(effect, of: event, connection) } catch let error as PSQLError where error.code == .server {
                // Refused for this event's data (a constraint, an encoding): a failed attempt of
                // the event, so it is retried and finally dead-lettered instead of blocking the
                // outbox. Connection errors stay store errors: the event is not at fault.
                throw HandlerFailure(event: event, error: error, refusedBy: "PostgreSQL")
            }
            try await connection.query(
                "INSERT INTO spectral.event_handled (event_id, handler) VALUES (\(event.id), \(handler))", logger: logger)
            try await connection.query(
                "UPDATE spectral.outbox SET status = 'done', handled_at = now() WHERE id = \(event.id)", logger: logger)
            return HandledEvent(event: event, result: result)
        }
    }

    private func apply(_ effect: HandlerEffect, of event: OutboxEvent, _ connection: PostgresConnection) async throws -> HandledEvent.Result {
        switch effect {
        case .none:
            return .handled
        case .reject(let rejection):
            try await connection.query("""
                INSERT INTO spectral.rejections (event_id, name, source, diagnostics, generation)
                VALUES (\(event.id), \(rejection.name), \(rejection.source),
                        \(AuthoringDiagnostic.listJSON(rejection.diagnostics)), \(event.generation))
                """, logger: logger)
            return .rejected(name: rejection.name)
        case .publish(let new):
            let request = new.request
            // The upsert locks the name's row, so concurrent publications of one name number in turn.
            let rows = try await connection.query("""
                INSERT INTO spectral.predicate_names AS n (name, latest_version) VALUES (\(request.name), 1)
                ON CONFLICT (name) DO UPDATE SET latest_version = n.latest_version + 1, updated_at = now()
                RETURNING latest_version
                """, logger: logger)
            guard let version = try await rows.decode(Int.self).first(where: { _ in true }) else {
                throw StoreError.corruptRow("predicate_names upsert returned no row")
            }
            try await connection.query("""
                INSERT INTO spectral.predicates (name, version, source, declarations, bytecode, cost_bound, tests, author,
                                                 description, generation, event_id)
                VALUES (\(request.name), \(version), \(request.source), \(new.declarationsJSON), \(ByteBuffer(bytes: new.bytecode)),
                        \(new.costBound.map { Int64(clamping: $0) }), \(new.testsJSON), \(request.author),
                        \(request.description), \(event.generation), \(event.id))
                """, logger: logger)
            if request.activate {
                try await setActive(connection, name: request.name, version: version, action: .publish)
            }
            try await notifyPredicates(connection, "\(request.name)@\(version)")
            return .published(name: request.name, version: version)
        }
    }

    public func recordFailure(eventID: Int64, error: String, retryAfter: Duration, maxAttempts: Int) async throws -> FailureDisposition {
        let seconds = Double(retryAfter.components.seconds) + Double(retryAfter.components.attoseconds) / 1e18
        return try await withConnection { [logger] connection in
        let rows = try await connection.query("""
            UPDATE spectral.outbox SET attempts = attempts + 1, last_error = \(error),
                status = CASE WHEN attempts + 1 >= \(maxAttempts) THEN 'dead' ELSE 'pending' END,
                available_at = now() + make_interval(secs => \(seconds))
            WHERE id = \(eventID) AND status = 'pending'
            RETURNING status, attempts
            """, logger: logger)
        for try await (status, attempts) in rows.decode((String, Int).self) {
            return status == "dead" ? .deadLettered(attempts: attempts) : .retryScheduled(attempts: attempts)
        }
        throw StoreError.unknownEvent(eventID)
        }
    }

    public func requeue(eventID: Int64) async throws {
        try await transaction { [self] connection in
            let rows = try await connection.query("""
                UPDATE spectral.outbox SET status = 'pending', attempts = 0, available_at = now()
                WHERE id = \(eventID) AND status = 'dead' RETURNING generation
                """, logger: logger)
            guard let generation = try await rows.decode(Int64.self).first(where: { _ in true }) else {
                throw StoreError.unknownEvent(eventID)
            }
            try await connection.query("SELECT pg_notify(\(NotificationChannel.outbox.rawValue), \(String(generation)))", logger: logger)
        }
    }

    public func backlog(generation: Int64) async throws -> OutboxBacklog {
        try await withConnection { [logger] connection in
        let rows = try await connection.query("""
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

    public func listen(to channel: NotificationChannel, onNotification: @escaping @Sendable (String) -> Void) async throws {
        try await PostgresListener(location: location, channel: channel, logger: logger).run(onNotification: onNotification)
    }
}
