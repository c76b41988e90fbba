import ServiceLifecycle
import SpectralCatalog

/// The predicate store and its transactional outbox: every repository, plus what only
/// the process that opens it needs (migrations, closing). Two implementations keep the
/// same contract: `SQLiteStore` (embedded, one file in WAL mode) and `PostgresStore`.
/// Everything above the store depends on the narrow repository it uses, not on this.
///
/// Every method is one transaction.
///
/// A store is a ServiceLifecycle service: its background work (PostgreSQL's connection
/// pool) runs in `run()`, which long-running processes put in their ServiceGroup before
/// the services that use the store, and which `whileRunning` runs for a scope.
public protocol Store: PredicateRepository, OutboxRepository, WorkerRegistry, KeyRepository, DecisionLogRepository,
    AuthoringTaskRepository, NotificationSource, Service {
    /// `sqlite` or `postgres`.
    var backend: String { get }

    /// Applies pending migrations (forward-only, checksummed), serialised across processes.
    func migrate() async throws -> MigrationReport
    /// Throws `StoreError.schemaOutOfDate` unless every migration this build needs is applied.
    func requireCurrentSchema() async throws

    /// Runs the store's background work until `close()`, cancellation or a graceful
    /// shutdown. Runs once. PostgreSQL calls made before it starts wait for it.
    func run() async throws

    /// Closes connections and ends `run()`; the store is unusable afterwards.
    func close() async
}
