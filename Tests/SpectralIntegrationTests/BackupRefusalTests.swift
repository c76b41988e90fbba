import Foundation
import GRDB
import SpectralTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What `spectral backup` and `spectral restore` refuse, each with one clear line, leaving
/// every existing file as it was and no temporary file behind.
@Suite struct BackupRefusalTests {
    let url: String
    let storePath: String
    let directory: String

    /// A store with one published version and one pending event, by the operator's commands.
    init() throws {
        url = try TestBackend.sqlite.freshDatabaseURL()
        storePath = String(url.dropFirst("sqlite:".count))
        directory = (storePath as NSString).deletingLastPathComponent
        try ChildProcess.run(SpectralBinary.path, ["submit", "--name", "adult", "--source", "user.age >= 18",
                                                   "--declare", "user=map(string, dyn)", "--database-url", url])
    }

    func spectral(_ arguments: [String], url: String? = nil) throws -> (status: Int32, output: String) {
        try ChildProcess.capture(SpectralBinary.path, arguments + ["--database-url", url ?? self.url])
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Files in the store's directory whose name marks them as a temporary copy.
    var leftovers: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".tmp") }
    }

    func makeBackup(_ name: String = "backup.sqlite") throws -> String {
        let path = "\(directory)/\(name)"
        let result = try spectral(["backup", path])
        #expect(result.status == 0, "\(result.output)")
        return path
    }

    @Test func backupRefusesAnExistingFileUnlessForced() throws {
        let path = "\(directory)/taken.sqlite"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
        let refused = try spectral(["backup", path])
        #expect(refused.status == 1 && refused.output == "error: '\(path)' exists: pass --force to replace it\n", "\(refused.output)")
        #expect(try bytes(path) == Data("keep me".utf8))

        let forced = try spectral(["backup", path, "--force"])
        #expect(forced.status == 0, "\(forced.output)")
        #expect(forced.output.contains(": \(try bytes(path).count) bytes, schema at migration "), "\(forced.output)")
        #expect(forced.output.contains(" 0 predicate versions, 0 activations, 1 outbox rows; integrity ok"), "\(forced.output)")
        // The backup is one self-contained file, in rollback-journal mode.
        let header = try bytes(path).prefix(20)
        #expect(header.prefix(16) == Data("SQLite format 3\0".utf8) && header[18] == 1 && header[19] == 1)
        #expect(leftovers.isEmpty)
    }

    @Test func backupOfAMissingStoreCreatesNothing() throws {
        let missing = "\(directory)/nowhere.sqlite"
        let result = try spectral(["backup", "\(directory)/b.sqlite"], url: "sqlite:\(missing)")
        #expect(result.status == 1 && result.output.contains("no store at '\(missing)'"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: missing) && !FileManager.default.fileExists(atPath: "\(directory)/b.sqlite"))
    }

    @Test func backupAndRestoreRefuseTheStoreItselfAndMissingDirectories() throws {
        let before = try bytes(storePath)
        let onto = try spectral(["backup", "\(directory)/../\((directory as NSString).lastPathComponent)/spectral.sqlite", "--force"])
        #expect(onto.status == 1 && onto.output.contains("is the store itself: give another path"), "\(onto.output)")
        let from = try spectral(["restore", storePath, "--force"])
        #expect(from.status == 1 && from.output.contains("is the store itself"), "\(from.output)")
        #expect(try bytes(storePath) == before)
        let nowhere = try spectral(["backup", "\(directory)/missing/backup.sqlite"])
        #expect(nowhere.status == 1 && nowhere.output == "error: no directory '\(directory)/missing' to write into\n", "\(nowhere.output)")
        let backup = try makeBackup()
        let elsewhere = try spectral(["restore", backup], url: "sqlite:\(directory)/missing/spectral.sqlite")
        #expect(elsewhere.status == 1 && elsewhere.output.contains("no directory '\(directory)/missing' to write into"), "\(elsewhere.output)")
        #expect(leftovers.isEmpty)
    }

    @Test func restoreRefusesAnExistingStoreUnlessForced() throws {
        let backup = try makeBackup()
        // Left by a process that died: they belong to the database being replaced.
        for suffix in ["-wal", "-shm"] { try Data("stale".utf8).write(to: URL(fileURLWithPath: storePath + suffix)) }
        let before = try bytes(storePath)
        let refused = try spectral(["restore", backup])
        #expect(refused.status == 1 && refused.output == "error: '\(storePath)' exists: pass --force to replace it\n", "\(refused.output)")
        #expect(try bytes(storePath) == before)
        let forced = try spectral(["restore", backup, "--force"])
        #expect(forced.status == 0 && forced.output.hasPrefix("restored \(backup) to \(storePath): "), "\(forced.output)")
        #expect(try bytes(storePath) == (try bytes(backup)))
        #expect(!FileManager.default.fileExists(atPath: storePath + "-wal") && !FileManager.default.fileExists(atPath: storePath + "-shm"))
        #expect(leftovers.isEmpty)
        #expect(try spectral(["predicates", "list"]).status == 0)
    }

    /// Random bytes, a truncated backup, a SQLite file of another application, a backup
    /// whose migration was edited: each a clear error, the store untouched.
    @Test(arguments: ["random", "truncated", "foreign", "tampered"])
    func restoreRefusesABadBackup(_ kind: String) throws {
        let path = "\(directory)/\(kind).sqlite"
        let expected: String
        switch kind {
        case "random":
            try Data((0..<8192).map { _ in UInt8.random(in: 0...255) }).write(to: URL(fileURLWithPath: path))
            expected = "'\(path)' is not a usable SQLite database: file is not a database"
        case "truncated":
            let good = try bytes(try makeBackup())
            try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: path))
            expected = "'\(path)' is not a usable SQLite database: "
        case "foreign":
            let queue = try DatabaseQueue(path: path)
            try queue.write { try $0.execute(sql: "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello')") }
            try queue.close()
            expected = "'\(path)' is a SQLite database but not a Spectral store (no schema_migrations table)"
        default:
            let backup = try makeBackup("\(kind).sqlite")
            let queue = try DatabaseQueue(path: backup)
            try queue.write { try $0.execute(sql: "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2") }
            try queue.close()
            expected = "'\(path)' has migration 2 (api_keys) applied with a different checksum than this build's"
        }
        let before = try bytes(storePath)
        let result = try spectral(["restore", path, "--force"])
        #expect(result.status == 1, "\(result.output)")
        // The message names the file given, though the check ran on a copy beside the store.
        #expect(result.output.hasPrefix("error: " + expected), "\(result.output)")
        #expect(try bytes(storePath) == before)
        #expect(leftovers.isEmpty)
    }

    @Test func restoreRefusesAStoreAnotherProcessHasOpen() async throws {
        let backup = try makeBackup()
        let log = "\(directory)/worker.log"
        let worker = try SpectralBinary.startWorker(databaseURL: url, logPath: log)
        defer { worker.killIfRunning() }
        try await SpectralBinary.waitForStartups(1, logPath: log)
        let refused = try spectral(["restore", backup, "--force"])
        #expect(refused.status == 1 && refused.output.contains("'\(storePath)' is open in another process: stop spectral serve, work and run on it first"),
                "\(refused.output)")
        worker.send(SIGTERM)
        #expect(worker.wait() == 0)
        let restored = try spectral(["restore", backup, "--force"])
        #expect(restored.status == 0, "\(restored.output)")
    }

    @Test(arguments: ["backup", "restore"])
    func postgresIsTheRunbooksJob(_ command: String) throws {
        let result = try spectral([command, "\(directory)/x.sqlite"], url: "postgres://spectral@127.0.0.1:1/spectral")
        #expect(result.status == 64, "\(result.output)")
        #expect(result.output.contains("spectral \(command) works on the embedded SQLite store only")
            && result.output.contains("pg_dump") && result.output.contains("infra/runbooks/backup-restore.md"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/x.sqlite"))
    }
}
