import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File operations around a SQLite file that backup and restore need: a temporary name
/// beside the final one (so the final rename stays on one file system and is atomic),
/// durable renames, the `-wal`/`-shm`/`-journal` files beside a database, and whether
/// another process has the database open.
enum SQLiteFiles {
    /// The files SQLite keeps beside a database. A stale one beside a replaced database
    /// would be replayed into it on the next open.
    static let sidecarSuffixes = ["-wal", "-shm", "-journal"]

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// `.NAME.PURPOSE-XXXXXXXX.tmp` in the directory of `path`: hidden, and never a name
    /// an operator would take for the finished file.
    static func temporaryPath(beside path: String, purpose: String) -> String {
        let url = URL(fileURLWithPath: path)
        let suffix = UUID().uuidString.prefix(8).lowercased()
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(purpose)-\(suffix).tmp").path
    }

    /// Removes `path` and its sidecars, ignoring those that do not exist.
    static func remove(_ path: String, withSidecars: Bool = true) {
        unlink(path)
        if withSidecars { removeSidecars(of: path) }
    }

    static func removeSidecars(of path: String) {
        for suffix in sidecarSuffixes { unlink(path + suffix) }
    }

    /// Moves the complete file `source` to `destination` atomically, replacing it only when
    /// `replacing`; then syncs the directory so the rename survives a crash.
    static func moveIntoPlace(_ source: String, _ destination: String, replacing: Bool) throws(SQLiteBackupError) {
        try sync(source)
        if replacing {
            guard rename(source, destination) == 0 else { throw .io("cannot rename '\(source)' to '\(destination)': \(errorText())") }
        } else if link(source, destination) == 0 {
            // A hard link fails when the name exists: no window in which another file
            // created at `destination` could be overwritten.
            unlink(source)
        } else if errno == EEXIST {
            throw .destinationExists(destination)
        } else {
            // A file system without hard links: check, then rename.
            guard !exists(destination) else { throw .destinationExists(destination) }
            guard rename(source, destination) == 0 else { throw .io("cannot rename '\(source)' to '\(destination)': \(errorText())") }
        }
        try sync(URL(fileURLWithPath: destination).deletingLastPathComponent().path)
    }

    /// Copies the bytes of `source` to a new file `destination`, synced.
    static func copy(_ source: String, to destination: String) throws(SQLiteBackupError) {
        do {
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        } catch {
            throw .io("cannot copy '\(source)' to '\(destination)': \(error.localizedDescription)")
        }
        try sync(destination)
    }

    /// `fsync` of a file or directory.
    static func sync(_ path: String) throws(SQLiteBackupError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .io("cannot open '\(path)' to sync it: \(errorText())") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .io("cannot sync '\(path)': \(errorText())") }
    }

    /// Whether both paths name one existing file (through links, `..` or symbolic links).
    static func isSameFile(_ first: String, _ second: String) -> Bool {
        var a = stat(), b = stat()
        guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    /// Throws unless the directory that would hold `path` exists.
    static func requireDirectory(of path: String) throws(SQLiteBackupError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .noDirectory(directory)
        }
    }

    static func size(_ path: String) -> Int64 {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Whether another process has the WAL-mode database at `path` open. SQLite's unix VFS
    /// holds a shared lock on the "dead man switch" byte of the `-shm` file (offset 128)
    /// for as long as a connection has the database open, and locks bytes from 2^30 of the
    /// database file during transactions; `F_GETLK` asks who holds them without taking a
    /// lock. It sees other processes only (POSIX locks are per process), and must not be
    /// called by a process that has the database open: closing the descriptor opened here
    /// would drop that process's own locks on the file.
    static func isOpenElsewhere(_ path: String) -> Bool {
        isLocked(path + "-shm", offset: 128, length: 1) || isLocked(path, offset: 0x4000_0000, length: 512)
    }

    private static func isLocked(_ path: String, offset: off_t, length: off_t) -> Bool {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var query = flock()
        query.l_type = Int16(F_WRLCK)
        query.l_whence = Int16(SEEK_SET)
        query.l_start = offset
        query.l_len = length
        guard fcntl(descriptor, F_GETLK, &query) == 0 else { return false }
        return query.l_type != Int16(F_UNLCK)
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
