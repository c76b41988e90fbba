import Spectral

/// The predicate store and its transactional outbox. Two implementations keep the same
/// contract: `SQLiteStore` (embedded, one file in WAL mode) and `PostgresStore`.
///
/// Every method is one transaction. `claimNext` is the worker's: it locks the oldest
/// claimable event of a generation (skipping events other workers hold), runs the
/// handler while the lock is held, and commits the handler's effect, the
/// `event_handled` row and the outbox completion together.
public protocol Store: Sendable {
    /// `sqlite` or `postgres`.
    var backend: String { get }

    /// Applies pending migrations (forward-only, checksummed), serialised across processes.
    func migrate() async throws -> MigrationReport
    /// Throws `StoreError.schemaOutOfDate` unless every migration this build needs is applied.
    func requireCurrentSchema() async throws

    /// Writes an event to the outbox and wakes the workers of its generation. Returns its id.
    func submit(topic: String, payload: String, generation: Int64) async throws -> Int64
    func status(ofEvent id: Int64) async throws -> EventStatus

    func predicates() async throws -> [PredicateSummary]
    /// Every version of a predicate, oldest first; empty for an unknown name.
    func versions(of name: String) async throws -> [PredicateVersion]
    /// One version, or the active one when `version` is nil; nil when there is none.
    func predicate(_ name: String, version: Int?) async throws -> PredicateVersion?
    /// Makes `version` the active version of `name`.
    func activate(_ name: String, version: Int) async throws
    /// Returns to the version that was active before the current one; returns it.
    func rollback(_ name: String) async throws -> Int

    /// Claims the oldest claimable event of `generation`, runs `handle` on it and commits
    /// its effect with the handled record, all in one transaction. Nil when nothing is
    /// claimable. When `handle` throws, nothing is written and the error is rethrown as
    /// `HandlerFailure` carrying the event, for `recordFailure`.
    /// `handle` names itself (recorded in `event_handled`) with the effect it returns.
    func claimNext(generation: Int64,
                   handle: @escaping @Sendable (OutboxEvent) throws -> (handler: String, effect: HandlerEffect)) async throws -> HandledEvent?
    /// Counts a failed attempt: schedules a retry after `retryAfter`, or parks the event as
    /// dead once it reaches `maxAttempts`.
    func recordFailure(eventID: Int64, error: String, retryAfter: Duration, maxAttempts: Int) async throws -> FailureDisposition
    /// Moves a dead event back to pending with its attempts reset.
    func requeue(eventID: Int64) async throws
    func backlog(generation: Int64) async throws -> OutboxBacklog

    /// Stores a new API key (its hash only).
    func insertAPIKey(_ key: APIKeyRecord) async throws
    /// The key with this public id, revoked or not; nil when there is none.
    func apiKey(id: String) async throws -> APIKeyRecord?
    func apiKeys() async throws -> [APIKeyRecord]
    /// Marks a key revoked; it stops working within the API's key cache lifetime.
    func revokeAPIKey(id: String) async throws

    /// Calls `onNotification` for every notification on `channel` until cancelled.
    /// PostgreSQL: LISTEN on a dedicated connection, re-established after failures (each
    /// reconnection also notifies, since notifications may have been missed). SQLite: an
    /// in-process signal. Notifications are hints: callers poll as well.
    func listen(to channel: NotificationChannel, onNotification: @escaping @Sendable (String) -> Void) async throws

    /// Closes connections; the store is unusable afterwards.
    func close() async
}

/// Notification channels. Payloads: the generation (outbox) or `name@version` (predicates).
public enum NotificationChannel: String, Sendable {
    /// An event was submitted.
    case outbox = "spectral_outbox"
    /// A version was published, activated or rolled back to.
    case predicates = "spectral_predicates"
}

/// The worker's view of the outbox, for logs, `/health` and `/metrics`.
public struct OutboxBacklog: Sendable, Equatable {
    public var pending: Int
    public var dead: Int
    /// Age in seconds of the oldest pending event, 0 when none.
    public var oldestPendingAge: Double
}

/// A handler threw: nothing was written; the event's id is needed to record the failure.
public struct HandlerFailure: Error, Sendable {
    public var event: OutboxEvent
    public var message: String
    /// The handler's error was a `PermanentHandlerError`: retrying cannot help.
    public var isPermanent: Bool

    init(event: OutboxEvent, error: any Error) {
        self.event = event
        message = "\(error)"
        isPermanent = error is any PermanentHandlerError
    }

    /// The database refused the handler's effect.
    init(event: OutboxEvent, error: any Error, refusedBy database: String) {
        self.event = event
        message = "\(database) refused the effect: \(String(reflecting: error))"
        isPermanent = false
    }
}

/// An error retrying cannot fix: the event goes to the dead-letter state at once.
public protocol PermanentHandlerError: Error {}
