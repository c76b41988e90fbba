/// How the agent lane claims and holds authoring turns. Defaults suit production; tests
/// shorten them.
public struct AgentLaneConfiguration: Sendable {
    /// Turns run at once (`--agent-concurrency`). Each waits mostly on the model, so this
    /// bounds concurrent model calls, not CPU; it is coupled to the code (the prompt's
    /// size, the model's latency) more than to the host.
    public var concurrency: Int
    /// How long a claim holds a turn without a heartbeat: a dead worker's turn is resumed
    /// by another claim this long after its last renewal.
    public var lease: Duration
    /// How often a running turn renews its lease; well under `lease`.
    public var renewEvery: Duration
    /// The longest an idle slot waits before looking for work without a notification.
    public var pollInterval: Duration
    /// Claims of one turn before it is parked as dead (each crash counts one).
    public var maxAttempts: Int
    /// Delay before a turn that failed transiently (the store) is tried again.
    public var retryAfter: Duration
    /// Backoff while the store itself fails.
    public var storeBackoff: Duration

    public init(concurrency: Int = 2, lease: Duration = .seconds(30), renewEvery: Duration = .seconds(10),
                pollInterval: Duration = .seconds(1), maxAttempts: Int = 5, retryAfter: Duration = .seconds(5),
                storeBackoff: Duration = .seconds(1)) {
        self.concurrency = max(1, concurrency)
        self.lease = lease
        self.renewEvery = renewEvery
        self.pollInterval = pollInterval
        self.maxAttempts = maxAttempts
        self.retryAfter = retryAfter
        self.storeBackoff = storeBackoff
    }
}
