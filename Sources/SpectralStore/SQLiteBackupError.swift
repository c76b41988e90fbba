/// Why `spectral backup` or `spectral restore` refused or failed. Each message names the
/// file and what to do; nothing was put in place when one is thrown.
public enum SQLiteBackupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The store to back up does not exist (backup never creates one).
    case storeNotFound(String)
    case backupNotFound(String)
    /// The file to write exists and `--force` was not given.
    case destinationExists(String)
    /// Another process has the store open: restoring under it would corrupt what it sees.
    case storeInUse(String)
    /// The file is not a SQLite database, or fails `PRAGMA integrity_check`.
    case corrupt(path: String, detail: String)
    /// A SQLite database without the store's migration table.
    case notAStore(String)
    /// The file's applied migration differs from this build's: another schema, or edited.
    case migrationMismatch(path: String, version: Int, name: String)
    /// The copy's applied migrations are not the source's (the copy is incomplete).
    case copyDiffers(String)
    /// A live store file (its write-ahead log beside it) given as a backup.
    case liveStoreFile(String)
    /// The backup and the store are one file: replacing either with the other loses data.
    case sameFile(String)
    /// The directory to write into does not exist.
    case noDirectory(String)
    case io(String)

    public var description: String {
        switch self {
        case .storeNotFound(let path): return "no store at '\(path)': nothing to back up"
        case .backupNotFound(let path): return "no backup at '\(path)'"
        case .destinationExists(let path): return "'\(path)' exists: pass --force to replace it"
        case .storeInUse(let path):
            return "'\(path)' is open in another process: stop spectral serve, work and run on it first"
        case .corrupt(let path, let detail): return "'\(path)' is not a usable SQLite database: \(detail)"
        case .notAStore(let path): return "'\(path)' is a SQLite database but not a Spectral store (no schema_migrations table)"
        case .migrationMismatch(let path, let version, let name):
            return "'\(path)' has migration \(version) (\(name)) applied with a different checksum than this build's: it is another schema, or was edited"
        case .copyDiffers(let path): return "the copy at '\(path)' does not record the migrations of its source: the copy is incomplete"
        case .liveStoreFile(let path):
            return "'\(path)' has a write-ahead log beside it: it is a live store file, not a backup; make one with `spectral backup`"
        case .sameFile(let path): return "'\(path)' is the store itself: give another path"
        case .noDirectory(let path): return "no directory '\(path)' to write into"
        case .io(let detail): return detail
        }
    }
}
