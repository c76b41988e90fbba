/// What a worker has done so far, counted as it happens: how tests observe its decisions
/// (a wake-up, a claim) without sleeping and hoping, and a summary for diagnostics.
public struct WorkerActivity: Sendable, Equatable {
    /// Claim attempts, whether or not they found an event.
    public var claims = 0
    /// Notifications heard on the outbox channel, of any generation, including the empty
    /// ones a listener sends when it (re)connects.
    public var notifications = 0
    /// Notifications that rang the doorbell (this generation's, and (re)connections).
    /// Each is counted before `notifications`, so a reader that sees a notification
    /// counted also sees whether it rang.
    public var wakeUpNotifications = 0
    /// Events of older, retired generations this worker claimed (handoff).
    public var adoptedClaims = 0
    /// Heartbeats recorded in the worker registry (the registration included).
    public var heartbeats = 0

    public init() {}
}
