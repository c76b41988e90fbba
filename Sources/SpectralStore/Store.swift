import SpectralCatalog

/// The predicate store and its transactional outbox: every repository, plus what only
/// the process that opens it needs (migrations, closing). Two implementations keep the
/// same contract: `SQLiteStore` (embedded, one file in WAL mode) and `PostgresStore`.
/// Everything above the store depends on the narrow repository it uses, not on this.
///
/// Every method is one transaction.
public protocol Store: PredicateRepository, OutboxRepository, KeyRepository, NotificationSource {
    /// `sqlite` or `postgres`.
    var backend: String { get }

    /// Applies pending migrations (forward-only, checksummed), serialised across processes.
    func migrate() async throws -> MigrationReport
    /// Throws `StoreError.schemaOutOfDate` unless every migration this build needs is applied.
    func requireCurrentSchema() async throws

    /// Closes connections; the store is unusable afterwards.
    func close() async
}
