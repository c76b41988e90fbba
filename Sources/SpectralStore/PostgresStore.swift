import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Spectral
import SpectralCatalog

/// The production store: PostgreSQL, schema `spectral`, through a PostgresNIO connection
/// pool. Claims use `FOR UPDATE SKIP LOCKED`, so workers of one generation share the
/// backlog without waiting on each other; NOTIFY tells workers and API processes about
/// new events and versions.
///
/// The pool needs a task to run in: `run()` (the store is a ServiceLifecycle service, so
/// long-running processes put it in their ServiceGroup; `whileRunning` runs it for a
/// scope). A lost server (restart, failover) surfaces as driver errors from the calls in
/// flight; the pool opens new connections for later calls, so callers retry. A call that
/// takes longer than `operationTimeout` fails with `StoreError.timedOut` (see `PostgresPool`).
public final class PostgresStore: Store {
    public let backend = "postgres"
    let location: PostgresLocation
    let logger: Logger
    /// The longest one store call may take before it is abandoned and the connection pool
    /// replaced (a pool can wait forever for a server that went away mid-lease).
    let operationTimeout: Duration
    /// The longest `migrate` may take: all pending migrations run in one transaction, and
    /// one may build an index over a large table. Bounded, but not by the timeout meant
    /// for a decision's store call (at start-up beside a busy suite, 14 migrations' 60-odd
    /// statements outlasted 15 s). Default: the larger of the operation timeout and 10 minutes.
    let migrationTimeout: Duration
    private let pool: PostgresPool

    public init(_ location: PostgresLocation, logger: Logger, maximumConnections: Int = 10,
                operationTimeout: Duration = .seconds(15), migrationTimeout: Duration? = nil) throws {
        self.location = location
        self.logger = logger
        self.operationTimeout = operationTimeout
        self.migrationTimeout = migrationTimeout ?? max(operationTimeout, .seconds(600))
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: try Self.clientTLS(location.sslMode))
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        // The pool's own warnings repeat what our callers log with more context, and one of
        // them fires spuriously when a call races the pool's start-up.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .error)
        pool = PostgresPool(timeout: operationTimeout, logger: logger) { [configuration, poolLogger] in
            PostgresClient(configuration: configuration, backgroundLogger: poolLogger)
        }
    }

    /// Runs the connection pool until `close()`, cancellation or a graceful shutdown (the
    /// ServiceGroup stops services in reverse order, so list the store before the services
    /// that use it).
    public func run() async throws {
        await withGracefulShutdownHandler {
            await pool.run()
        } onGracefulShutdown: { [pool] in
            pool.close()
        }
    }

    /// Runs `body` with the current client, within `timeout` (nil: `operationTimeout`).
    func withClient<T: Sendable>(timeout: Duration? = nil, _ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws -> T {
        try await pool.withClient(timeout: timeout, body)
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

    /// Ends `run()`, closing the pool's connections.
    public func close() async {
        pool.close()
    }

    /// Runs `body` in a transaction; errors thrown by `body` come out as they are.
    ///
    /// Not PostgresNIO's `withTransaction`: after a failure it writes ROLLBACK whatever the
    /// state of the connection, and a statement written to a connection that has closed
    /// never completes (see `checkedQuery`). A call that timed out or was cancelled closes
    /// its connection instead (`withConnection`): the server rolls back the transaction of
    /// a connection that goes away.
    func transaction<T: Sendable>(timeout: Duration? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection(timeout: timeout) { [self] connection in try await transaction(on: connection, body) }
    }

    /// `transaction` on a connection the call already holds, outside a transaction: for a
    /// call that mostly runs single statements and needs a transaction now and then.
    func transaction<T: Sendable>(on connection: PostgresConnection, _ body: @escaping @Sendable (PostgresConnection) async throws -> T)
        async throws -> T {
        try await connection.checkedQuery("BEGIN", logger: logger)
        let result: T
        do {
            result = try await body(connection)
        } catch {
            if !Task.isCancelled && !connection.isClosed {
                _ = try? await connection.checkedQuery("ROLLBACK", logger: logger)
            }
            throw error
        }
        try await connection.checkedQuery("COMMIT", logger: logger)
        return result
    }

    /// Runs `body` on one pooled connection, outside a transaction, within the operation
    /// timeout. The connection is reported to the call (`PostgresCall`), which closes it when
    /// the call times out (a statement in flight ignores cancellation); a call that fails
    /// after it was given up on closes it too rather than hand the pool a connection in an
    /// unknown state (mid-statement, mid-transaction).
    func withConnection<T: Sendable>(timeout: Duration? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withClient(timeout: timeout) { client in
            try await client.withConnection { connection in
                let call = PostgresCall.current
                call?.holds(connection)
                defer { call?.holds(nil) }
                do {
                    return try await body(connection)
                } catch {
                    if Task.isCancelled { try? await connection.close() }
                    throw error
                }
            }
        }
    }

    // MARK: Migrations

    /// Serialises concurrent `migrate` calls (several processes starting at once).
    static let migrationLockKey: Int64 = 0x5350_4543_5452_414C  // "SPECTRAL"

    public func migrate() async throws -> MigrationReport {
        try await transaction(timeout: migrationTimeout) { [self] connection in
            try await connection.checkedQuery("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))", logger: logger)
            try await connection.checkedQuery("CREATE SCHEMA IF NOT EXISTS spectral", logger: logger)
            try await connection.checkedQuery("""
                CREATE TABLE IF NOT EXISTS spectral.schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            let applied = try await appliedMigrations(connection)
            let pending = try Migration.pending(Migration.postgres, applied: applied)
            for migration in pending {
                for statement in SQLStatements.split(migration.sql) {
                    try await connection.checkedQuery(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.checkedQuery("""
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
            let exists = try await connection.checkedQuery("SELECT to_regclass('spectral.schema_migrations') IS NOT NULL", logger: logger)
                .decode(Bool.self).first { _ in true } ?? false
            return exists ? try await appliedMigrations(connection) : [:]
        }
        guard try Migration.pending(Migration.postgres, applied: applied).isEmpty else {
            throw StoreError.schemaOutOfDate(applied: applied.keys.max() ?? 0, required: Migration.required(Migration.postgres))
        }
    }

    private func appliedMigrations(_ connection: PostgresConnection) async throws -> [Int: String] {
        var applied: [Int: String] = [:]
        let rows = try await connection.checkedQuery("SELECT version, checksum FROM spectral.schema_migrations", logger: logger)
        for try await (version, checksum) in rows.decode((Int, String).self) { applied[version] = checksum }
        return applied
    }
}
