import Foundation
import GRDB

/// `spectral backup` and `spectral restore` for the embedded store. (PostgreSQL is backed
/// up with its own tools: infra/runbooks/backup-restore.md.)
///
/// Backup uses SQLite's online backup API from inside one read transaction: the copy is
/// the snapshot that transaction sees, whatever other processes commit meanwhile, and they
/// are never blocked (WAL readers do not block writers). The copy is written beside its
/// destination under a temporary name, switched to a rollback journal (one self-contained
/// file), checked, and only then renamed into place.
///
/// Restore checks a copy of the backup beside the store before anything is replaced; a
/// corrupt or foreign file leaves the store untouched.
public enum SQLiteBackup {
    /// Copies the store at `storePath` to `destination` while other processes use it.
    /// Refuses an existing `destination` unless `replacing`.
    public static func backup(store storePath: String, to destination: String,
                              replacing: Bool) throws(SQLiteBackupError) -> SQLiteStoreSummary {
        // Opening a missing file would create an empty database, and back that up.
        guard SQLiteFiles.exists(storePath) else { throw .storeNotFound(storePath) }
        // `--force` onto the store itself would swap the file under the processes using it.
        if SQLiteFiles.isSameFile(storePath, destination) { throw .sameFile(destination) }
        if !replacing && SQLiteFiles.exists(destination) { throw .destinationExists(destination) }
        try SQLiteFiles.requireDirectory(of: destination)
        let temporary = SQLiteFiles.temporaryPath(beside: destination, purpose: "backup")
        do throws(SQLiteBackupError) {
            let sourceMigrations = try copy(storePath, to: temporary)
            var summary = try SQLiteStoreSummary.check(temporary)
            guard summary.appliedMigrations == sourceMigrations else { throw .copyDiffers(temporary) }
            try SQLiteFiles.moveIntoPlace(temporary, destination, replacing: replacing)
            summary.path = destination
            return summary
        } catch {
            SQLiteFiles.remove(temporary)
            throw error
        }
    }

    /// The online backup into a new file; returns the source's applied migrations, read in
    /// the same snapshot as the pages copied.
    private static func copy(_ storePath: String, to temporary: String) throws(SQLiteBackupError) -> [Int: String] {
        do {
            var configuration = Configuration()
            // A process writing the store may hold the write lock for a while; reads wait
            // only when the WAL is being reset.
            configuration.busyMode = .timeout(30)
            // A queue, not a pool: a pool would switch a store in another journal mode to WAL.
            let source = try DatabaseQueue(path: storePath, configuration: configuration)
            defer { try? source.close() }
            let target: DatabaseQueue
            do {
                target = try DatabaseQueue(path: temporary)
            } catch {
                throw SQLiteBackupError.io("cannot create '\(temporary)': \(error)")
            }
            defer { try? target.close() }
            return try target.writeWithoutTransaction { targetDB -> [Int: String] in
                let applied = try source.read { sourceDB -> [Int: String] in
                    guard try sourceDB.tableExists("schema_migrations") else { throw SQLiteBackupError.notAStore(storePath) }
                    let applied = try SQLiteStore.appliedMigrations(sourceDB)
                    // All pages in one step, inside this read transaction: one snapshot.
                    try sourceDB.backup(to: targetDB)
                    return applied
                }
                // The copied header says WAL, as the store is; a backup is one file.
                try targetDB.execute(sql: "PRAGMA journal_mode = DELETE")
                return applied
            }
        } catch let error as SQLiteBackupError {
            throw error
        } catch let error as DatabaseError {
            throw .corrupt(path: storePath, detail: error.message ?? "\(error.resultCode)")
        } catch {
            throw .io("backup of '\(storePath)' failed: \(error)")
        }
    }

    /// Puts the backup at `backupPath` in place of the store file `storePath`, removing the
    /// store's `-wal`, `-shm` and `-journal` files (they belong to the replaced database).
    /// Refuses while another process has the store open, and an existing store unless
    /// `replacing`. Call it from a process that does not have the store open.
    public static func restore(backup backupPath: String, to storePath: String,
                               replacing: Bool) throws(SQLiteBackupError) -> SQLiteStoreSummary {
        guard SQLiteFiles.exists(backupPath) else { throw .backupNotFound(backupPath) }
        // Restoring a store onto itself would drop its write-ahead log.
        if SQLiteFiles.isSameFile(backupPath, storePath) { throw .sameFile(backupPath) }
        try SQLiteFiles.requireDirectory(of: storePath)
        if SQLiteFiles.size(backupPath + "-wal") > 0 { throw .liveStoreFile(backupPath) }
        if SQLiteFiles.isOpenElsewhere(storePath) { throw .storeInUse(storePath) }
        if !replacing && SQLiteFiles.exists(storePath) { throw .destinationExists(storePath) }
        let temporary = SQLiteFiles.temporaryPath(beside: storePath, purpose: "restore")
        do throws(SQLiteBackupError) {
            // Checked as copied, beside the store: what is checked is what goes in place.
            try SQLiteFiles.copy(backupPath, to: temporary)
            var summary = try SQLiteStoreSummary.check(temporary, reportedAs: backupPath)
            // Checking opened the copy; a WAL-mode header leaves files to drop before the rename.
            SQLiteFiles.removeSidecars(of: temporary)
            if SQLiteFiles.isOpenElsewhere(storePath) { throw .storeInUse(storePath) }
            // Stale sidecars first: a crash after the rename must not replay the old
            // database's log into the restored one.
            SQLiteFiles.removeSidecars(of: storePath)
            try SQLiteFiles.moveIntoPlace(temporary, storePath, replacing: replacing)
            summary.path = storePath
            return summary
        } catch {
            SQLiteFiles.remove(temporary)
            throw error
        }
    }
}
