import ArgumentParser
import SpectralStore

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup in place of the embedded SQLite store file (stop the processes using it first).",
        discussion: """
            The backup is copied beside the store and checked (integrity, migration checksums) before \
            anything is replaced; the store's stale -wal and -shm files are removed. Refused while another \
            process has the store open. PostgreSQL: see infra/runbooks/backup-restore.md.
            """
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: "The backup file, as `spectral backup` wrote it.", completion: .file()) var path: String
    @Flag(help: "Replace an existing store file.") var force = false

    func run() throws {
        let storePath = try store.embeddedStorePath(for: "restore")
        do {
            let summary = try SQLiteBackup.restore(backup: path, to: storePath, replacing: force)
            print("restored \(path) to \(summary.line)")
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }
}
