import SpectralCatalog

/// How a worker claims, waits and retries. Defaults suit production; tests shorten them.
public struct WorkerConfiguration: Sendable {
    /// Events stamped with this generation are claimed (`SPECTRAL_GENERATION`), and those
    /// of retired older generations when `adoptAfter` is set.
    public var generation: Int64
    /// Handoff: when set, the worker also claims the pending events of every older
    /// generation none of whose workers runs (each marked itself stopped, or has not
    /// heartbeated for this long: it was killed, or its host is gone). Nil: its own only.
    public var adoptAfter: Duration?
    /// How often the worker records in the registry that it is alive. Keep it well under
    /// the `adoptAfter` of newer generations, or a slow heartbeat reads as a dead worker.
    public var heartbeatInterval: Duration
    /// The poll interval: the longest an event waits when no notification arrives.
    public var pollInterval: Duration
    /// False for polling only (transaction-mode poolers such as PgBouncer cannot LISTEN).
    public var listens: Bool
    /// Attempts after which an event is parked as dead. Every claim counts as one, so an
    /// event whose handler kills the worker is parked after this many deaths.
    public var maxAttempts: Int
    /// The longest a handler may run (validating a predicate: parse, check, compile, run its
    /// tests). Past it the worker stops waiting and the event ends with the handler's
    /// over-budget effect (a rejection, for predicates) or a failed attempt.
    public var handlerBudget: Duration
    /// How long a claim holds its event before another claim may take it. Longer than the
    /// handler budget plus a completion, so a live worker always finishes first; when the
    /// worker died, the event waits this long for its next attempt (events behind it do not).
    public var claimLease: Duration
    /// Backoff before retrying a failed event: `retryBase × 2^(attempt−1)`, at most `retryCap`.
    public var retryBase: Duration
    public var retryCap: Duration
    /// Backoff while the store itself fails (server down): doubles from the first, up to the cap.
    public var storeBackoffFirst: Duration
    public var storeBackoffCap: Duration
    /// What the waits above are measured on: `ContinuousClock` in production. Tests give a
    /// manual clock and advance it, so they decide when a poll interval or a backoff ends.
    public var clock: any Clock<Duration>
    /// The topics this worker claims: `.all`, or everything but the agent lane's
    /// (`authoring.requested`) when the process runs one, so that a slow model never
    /// delays a publication.
    public var topics: OutboxTopics

    public init(generation: Int64 = 1, adoptAfter: Duration? = .seconds(30), heartbeatInterval: Duration = .seconds(5),
                pollInterval: Duration = .seconds(1), listens: Bool = true, maxAttempts: Int = 5,
                handlerBudget: Duration = .seconds(10), claimLease: Duration = .seconds(60),
                retryBase: Duration = .seconds(1), retryCap: Duration = .seconds(300),
                storeBackoffFirst: Duration = .milliseconds(100), storeBackoffCap: Duration = .seconds(5),
                clock: any Clock<Duration> = ContinuousClock(), topics: OutboxTopics = .all) {
        self.generation = generation
        self.adoptAfter = adoptAfter
        self.heartbeatInterval = heartbeatInterval
        self.pollInterval = pollInterval
        self.listens = listens
        self.maxAttempts = maxAttempts
        self.handlerBudget = handlerBudget
        self.claimLease = claimLease
        self.retryBase = retryBase
        self.retryCap = retryCap
        self.storeBackoffFirst = storeBackoffFirst
        self.storeBackoffCap = storeBackoffCap
        self.clock = clock
        self.topics = topics
    }
}
