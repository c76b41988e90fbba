import Foundation

/// The transactional outbox.
///
/// A worker takes an event in three steps, and no transaction is open while its handler
/// runs (a handler may take seconds: validating a predicate runs its tests):
///
/// 1. `claim` counts the attempt and leases the event to a fresh claim token, and commits;
/// 2. the worker runs the handler under its time budget, with nothing of the store held;
/// 3. `complete` checks the claim is still the event's and commits the effect, the
///    `event_handled` row and the outbox completion together (or `recordFailure` schedules
///    the retry). Effects are applied exactly once: a stale claim completes nothing.
///
/// A worker that dies between 1 and 3 leaves the attempt counted; the event is claimable
/// again when its lease ends, and dead-lettered by the claim after its last attempt.
public protocol OutboxRepository: Sendable {
    /// Where the outbox lives (`sqlite` or `postgres`), for logs and `/health`.
    var backend: String { get }
    /// Writes an event to the outbox and wakes the workers of its generation; returns its
    /// id. Callers write `OutboxMessage`s (`submit(_:generation:)`); the raw form exists for
    /// the store itself and for tests of what the worker does with a malformed event.
    func submit(topic: String, payload: String, generation: Int64) async throws -> Int64
    func status(ofEvent id: Int64) async throws -> EventStatus
    /// Claims the oldest claimable event (pending, not leased, not waiting for a retry) of
    /// `generation`, in one short transaction: counts the attempt and leases the event for
    /// `lease`. An event whose `maxAttempts` attempts are all used is dead-lettered instead
    /// (its last claim never recorded an outcome) and the next one considered.
    ///
    /// With `adoptingAfter` set, the events of older generations that are retired count as
    /// this generation's: those none of whose registered workers is running, each having
    /// marked itself stopped or been silent for longer than `silence` (see
    /// `WorkerRegistry`). A newer generation's events are never taken.
    func claim(generation: Int64, adoptingAfter silence: Duration?, lease: Duration, maxAttempts: Int) async throws -> ClaimOutcome
    /// The same, among the events whose topic `topics` admits: the agent lane claims
    /// `authoring.requested` only, and the main lane everything else, so a stalled model
    /// never delays a publication.
    func claim(generation: Int64, adoptingAfter silence: Duration?, lease: Duration, maxAttempts: Int,
               topics: OutboxTopics) async throws -> ClaimOutcome
    /// Extends the claim's lease to `lease` from now: the agent's heartbeat, so that a task
    /// waiting minutes on a model keeps its event without holding a transaction open.
    /// Throws `StoreError.claimLost` when the claim no longer holds the event.
    func renewLease(_ claim: Claim, lease: Duration) async throws
    /// Applies the effect of a claimed event, records it handled under `handler` and marks
    /// the event done, in one transaction, if the claim still holds the event; otherwise
    /// writes nothing and throws `StoreError.claimLost`. An effect the database refuses for
    /// the event's data (a constraint, an encoding) throws `HandlerFailure`.
    func complete(_ claim: Claim, handler: String, effect: HandlerEffect) async throws -> HandledEvent
    /// Records the failure of a claimed attempt (already counted): schedules a retry after
    /// `retryAfter`, or parks the event as dead once its attempts reach `maxAttempts`.
    /// Throws `StoreError.claimLost` if the claim no longer holds the event.
    func recordFailure(_ claim: Claim, error: String, retryAfter: Duration, maxAttempts: Int) async throws -> FailureDisposition
    /// Moves a dead event back to pending with its attempts reset.
    func requeue(eventID: Int64) async throws
    func backlog(generation: Int64) async throws -> OutboxBacklog
    /// Up to `limit` dead-lettered events of every generation, newest first (by id), without
    /// their payloads, each `lastError` cut to `DeadLetter.maxErrorLength` characters.
    func deadEvents(limit: Int) async throws -> [DeadLetter]
}

extension OutboxRepository {
    public func claim(generation: Int64, adoptingAfter silence: Duration?, lease: Duration, maxAttempts: Int) async throws -> ClaimOutcome {
        try await claim(generation: generation, adoptingAfter: silence, lease: lease, maxAttempts: maxAttempts, topics: .all)
    }

    /// Claims an event of `generation` only, adopting nothing.
    public func claim(generation: Int64, lease: Duration, maxAttempts: Int) async throws -> ClaimOutcome {
        try await claim(generation: generation, adoptingAfter: nil, lease: lease, maxAttempts: maxAttempts)
    }

    /// Writes a typed message to the outbox; returns the event id.
    public func submit(_ message: OutboxMessage, generation: Int64) async throws -> Int64 {
        try await submit(topic: message.topic, payload: message.payload, generation: generation)
    }

    /// Claims, handles and completes one event in the calling task, with no budget: for
    /// tools and tests that drive the outbox by hand (the worker runs the steps itself).
    /// Nil when nothing is claimable. When `handle` throws, the attempt stays counted, the
    /// event leased, and the error comes out as `HandlerFailure` for `recordFailure`.
    public func claimNext(generation: Int64, lease: Duration = .seconds(60), maxAttempts: Int = 5,
                          handle: @escaping @Sendable (OutboxEvent) throws -> (handler: String, effect: HandlerEffect)) async throws -> HandledEvent? {
        guard let claim = try await claim(generation: generation, lease: lease, maxAttempts: maxAttempts).claim else { return nil }
        let handler: String, effect: HandlerEffect
        do { (handler, effect) = try handle(claim.event) } catch {
            throw HandlerFailure(claim: claim, error: error)
        }
        return try await complete(claim, handler: handler, effect: effect)
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

/// A dead-lettered event as operators see it: never its payload (it may hold data that a
/// mask hides elsewhere), and its last error bounded.
public struct DeadLetter: Sendable, Equatable {
    /// The longest `lastError` kept, in characters (Unicode scalars).
    public static let maxErrorLength = 500

    public var id: Int64
    public var generation: Int64
    public var topic: String
    public var attempts: Int
    public var lastError: String?
    public var createdAt: Date

    public init(id: Int64, generation: Int64, topic: String, attempts: Int, lastError: String?, createdAt: Date) {
        self.id = id
        self.generation = generation
        self.topic = topic
        self.attempts = attempts
        self.lastError = lastError.map(Self.bounded)
        self.createdAt = createdAt
    }

    /// `text` cut to `maxErrorLength` Unicode scalars.
    public static func bounded(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > maxErrorLength else { return text }
        var cut = String.UnicodeScalarView()
        cut.append(contentsOf: scalars.prefix(maxErrorLength))
        return String(cut)
    }
}

/// Which topics a claim may take.
public enum OutboxTopics: Sendable, Equatable {
    case all
    case only([String])
    case except([String])

    public func admits(_ topic: String) -> Bool {
        switch self {
        case .all: return true
        case .only(let topics): return topics.contains(topic)
        case .except(let topics): return !topics.contains(topic)
        }
    }
}
