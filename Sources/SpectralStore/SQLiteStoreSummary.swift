import Foundation
import GRDB
import SpectralCatalog

/// What a checked copy of the embedded store holds: it passed `PRAGMA integrity_check`,
/// records its migrations, and each of them this build knows carries this build's checksum.
/// Backup checks its copy with it; restore checks the backup before anything is replaced.
public struct SQLiteStoreSummary: Sendable, Equatable {
    public var path: String
    public var bytes: Int64
    /// Applied migrations, version → checksum.
    public var appliedMigrations: [Int: String]
    public var predicateVersions: Int
    public var activations: Int
    public var outboxRows: Int

    /// The highest applied migration.
    public var schemaVersion: Int { appliedMigrations.keys.max() ?? 0 }

    /// One line for the operator: `PATH: N bytes, schema at migration M, …`.
    public var line: String {
        "\(path): \(bytes) bytes, schema at migration \(schemaVersion), \(predicateVersions) predicate versions, "
            + "\(activations) activations, \(outboxRows) outbox rows; integrity ok"
    }

    /// Checks the SQLite file at `path`. The file is opened read-write (a copy the caller
    /// owns: a WAL-mode header needs its `-shm`), and read only. Errors name the file
    /// `reportedAs` (the backup a checked copy was made from), else `path`.
    public static func check(_ path: String, reportedAs name: String? = nil) throws(SQLiteBackupError) -> SQLiteStoreSummary {
        do throws(SQLiteBackupError) {
            return try checkUnnamed(path)
        } catch {
            guard let name else { throw error }
            switch error {
            case .corrupt(_, let detail): throw .corrupt(path: name, detail: detail)
            case .notAStore: throw .notAStore(name)
            case .migrationMismatch(_, let version, let migration): throw .migrationMismatch(path: name, version: version, name: migration)
            default: throw error
            }
        }
    }

    private static func checkUnnamed(_ path: String) throws(SQLiteBackupError) -> SQLiteStoreSummary {
        let bytes = SQLiteFiles.size(path)
        do {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            return try queue.read { db throws -> SQLiteStoreSummary in
                // `integrity_check` reports up to 100 problems, one per row; "ok" alone means none.
                let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard problems == ["ok"] else {
                    throw SQLiteBackupError.corrupt(path: path, detail: "integrity_check: " + problems.prefix(3).joined(separator: "; "))
                }
                guard try db.tableExists("schema_migrations") else { throw SQLiteBackupError.notAStore(path) }
                let applied = try SQLiteStore.appliedMigrations(db)
                do {
                    // Versions this build does not know are a newer release's: restorable.
                    _ = try Migration.pending(Migration.sqlite, applied: applied)
                } catch StoreError.migrationChecksumMismatch(let version, let name) {
                    throw SQLiteBackupError.migrationMismatch(path: path, version: version, name: name)
                }
                func count(_ table: String) throws -> Int {
                    try db.tableExists(table) ? Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 : 0
                }
                return SQLiteStoreSummary(path: path, bytes: bytes, appliedMigrations: applied, predicateVersions: try count("predicates"),
                                          activations: try count("activations"), outboxRows: try count("outbox"))
            }
        } catch let error as SQLiteBackupError {
            throw error
        } catch let error as DatabaseError {
            // SQLITE_NOTADB ("file is not a database"), SQLITE_CORRUPT ("malformed"), …
            throw .corrupt(path: path, detail: error.message ?? "\(error.resultCode)")
        } catch {
            throw .corrupt(path: path, detail: "\(error)")
        }
    }
}
