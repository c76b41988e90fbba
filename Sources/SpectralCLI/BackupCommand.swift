import ArgumentParser
import SpectralStore

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the embedded SQLite store to a file while it serves (SQLite's online backup), then check the copy.",
        discussion: """
            The copy is one consistent snapshot, written beside PATH under a temporary name and renamed \
            into place once complete and checked (integrity, migrations). PostgreSQL: see \
            infra/runbooks/backup-restore.md.
            """
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: "Where to write the backup.", completion: .file()) var path: String
    @Flag(help: "Replace PATH if it exists.") var force = false

    func run() throws {
        let storePath = try store.embeddedStorePath(for: "backup")
        do {
            let summary = try SQLiteBackup.backup(store: storePath, to: path, replacing: force)
            print("backup \(summary.line)")
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }
}
