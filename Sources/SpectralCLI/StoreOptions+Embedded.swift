import ArgumentParser
import SpectralCatalog
import SpectralStore

extension StoreOptions {
    /// The embedded store's file, for the commands that work on the file itself (backup,
    /// restore). A PostgreSQL URL is a usage error pointing to the runbook: its backups
    /// are the server's business (pg_dump, the provider's point-in-time recovery).
    func embeddedStorePath(for command: String) throws -> String {
        let location: StoreLocation
        do {
            location = try self.location
        } catch let error as StoreError {
            printError("error: \(error)")
            throw ExitCodes.configuration
        }
        switch location {
        case .sqlite(let path):
            return path
        case .postgres:
            printError("error: spectral \(command) works on the embedded SQLite store only; for PostgreSQL (\(location.redacted)) "
                + "use pg_dump/pg_restore or your provider's point-in-time recovery: see infra/runbooks/backup-restore.md")
            throw ExitCodes.usage
        }
    }
}
