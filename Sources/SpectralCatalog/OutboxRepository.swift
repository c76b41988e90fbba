/// The transactional outbox.
///
/// `claimNext` is the worker's: it locks the oldest claimable event of a generation
/// (skipping events other workers hold), runs the handler while the lock is held, and
/// commits the handler's effect, the `event_handled` row and the outbox completion together.
public protocol OutboxRepository: Sendable {
    /// Where the outbox lives (`sqlite` or `postgres`), for logs and `/health`.
    var backend: String { get }
    /// Writes an event to the outbox and wakes the workers of its generation; returns its
    /// id. Callers write `OutboxMessage`s (`submit(_:generation:)`); the raw form exists for
    /// the store itself and for tests of what the worker does with a malformed event.
    func submit(topic: String, payload: String, generation: Int64) async throws -> Int64
    func status(ofEvent id: Int64) async throws -> EventStatus
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
}

extension OutboxRepository {
    /// Writes a typed message to the outbox; returns the event id.
    public func submit(_ message: OutboxMessage, generation: Int64) async throws -> Int64 {
        try await submit(topic: message.topic, payload: message.payload, generation: generation)
    }
}

/// The worker's view of the outbox, for logs, `/health` and `/metrics`.
public struct OutboxBacklog: Sendable, Equatable {
    public var pending: Int
    public var dead: Int
    /// Age in seconds of the oldest pending event, 0 when none.
    public var oldestPendingAge: Double

    public init(pending: Int, dead: Int, oldestPendingAge: Double) {
        self.pending = pending
        self.dead = dead
        self.oldestPendingAge = oldestPendingAge
    }
}
