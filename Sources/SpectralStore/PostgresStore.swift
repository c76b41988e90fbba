import Foundation
import Logging
import PostgresNIO
import Spectral
import SpectralCatalog
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
    static let migrationLockKey: Int64 = 0x5350_4543_5452_414C  // "SPECTRAL"

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
}
