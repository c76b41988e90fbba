import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Spectral
import SpectralCatalog

/// The embedded store: one SQLite file in WAL mode, shared safely by several processes
/// (SQLite's write lock serialises writers; readers never block). Claims take the write
/// lock with `BEGIN IMMEDIATE`, which is what `FOR UPDATE SKIP LOCKED` achieves on
/// PostgreSQL: one worker at a time holds an event.
public final class SQLiteStore: Store {
    public let backend = "sqlite"
    public let path: String
    let pool: DatabasePool
    let logger: Logger
    /// Finished by `close()`: ends `run()`.
    private let (closed, closing) = AsyncStream<Never>.makeStream()

    public init(path: String, logger: Logger) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Other processes (the API, a second worker, `spectral submit`) write the same file.
        configuration.busyMode = .timeout(30)
        self.path = path
        self.logger = logger
        pool = try Self.openPool(path: path, configuration: configuration)
    }

    /// Opens the pool, retrying while another process holds the lock: two processes creating
    /// the same new file race on switching it to WAL, and that pragma ignores the busy timeout.
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempt = 0
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 100 {
                attempt += 1
                usleep(50_000)
            }
        }
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

    /// Nothing runs in the background (GRDB works on the callers' tasks): waits until
    /// `close()`, cancellation or a graceful shutdown, so both backends are run alike.
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in closed {}
        } onGracefulShutdown: { [closing] in
            closing.finish()
        }
    }

    public func close() async {
        closing.finish()
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

    /// The `schema_migrations` rows, version → checksum.
    static func appliedMigrations(_ db: Database) throws -> [Int: String] {
        var applied: [Int: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT version, checksum FROM schema_migrations") {
            applied[row["version"]] = row["checksum"]
        }
        return applied
    }
}
