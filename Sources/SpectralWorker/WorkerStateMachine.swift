/// The worker's decisions, free of I/O so they can be tested exhaustively: after each
/// step the service reports what happened and performs the action returned.
///
/// - A handled event → claim the next one at once (drain the backlog).
/// - Nothing claimable → wait for a notification or the poll interval.
/// - The handler threw → record the failure: a retry after exponential backoff, or the
///   dead-letter state once the attempts reach the limit (at once for permanent errors).
/// - The store failed (connection lost, server restarting) → sleep with a doubling
///   backoff, then claim again; the event, if any, stays untouched and claimable.
/// - Shutdown requested → finish the step in flight, then stop instead of claiming.
public struct WorkerStateMachine: Sendable {
    public enum Action: Sendable, Equatable {
        case claim
        /// Wait for a notification, at most this long.
        case waitForWork(Duration)
        /// Sleep this long, not interrupted by notifications (the store is failing).
        case backOff(Duration)
        case recordFailure(eventID: Int64, retryAfter: Duration, maxAttempts: Int)
        case stop
    }

    public enum Outcome: Sendable, Equatable {
        case handled
        case nothingClaimable
        /// `attempts`: failed attempts before this one.
        case handlerFailed(eventID: Int64, attempts: Int, permanent: Bool)
        case storeFailed
        case failureRecorded
    }

    public private(set) var isDraining = false
    /// Consecutive store failures.
    public private(set) var storeFailures = 0
    let configuration: WorkerConfiguration

    public init(configuration: WorkerConfiguration) {
        self.configuration = configuration
    }

    public mutating func start() -> Action { isDraining ? .stop : .claim }

    public mutating func requestShutdown() { isDraining = true }

    public mutating func next(after outcome: Outcome) -> Action {
        if case .storeFailed = outcome { storeFailures += 1 } else { storeFailures = 0 }
        switch outcome {
        case .handlerFailed(let eventID, let attempts, let permanent):
            // Recording the failure is part of finishing the event in flight, even when draining.
            return .recordFailure(eventID: eventID, retryAfter: retryDelay(afterAttempt: attempts + 1),
                                  maxAttempts: permanent ? 1 : configuration.maxAttempts)
        case _ where isDraining:
            return .stop
        case .handled, .failureRecorded:
            return .claim
        case .nothingClaimable:
            return .waitForWork(configuration.pollInterval)
        case .storeFailed:
            return .backOff(storeBackoff)
        }
    }

    /// Whether a notification on the outbox channel should wake the worker: an event of
    /// its own generation, or an empty payload (a listener reconnected, so notifications
    /// may have been missed). Events of other generations are not its to claim.
    public func wakesUp(onNotification payload: String) -> Bool {
        payload.isEmpty || payload == String(configuration.generation)
    }

    /// The delay before attempt `attempt + 1` of an event that failed `attempt` times.
    public func retryDelay(afterAttempt attempt: Int) -> Duration {
        Self.doubling(configuration.retryBase, times: attempt - 1, cap: configuration.retryCap)
    }

    var storeBackoff: Duration {
        Self.doubling(configuration.storeBackoffFirst, times: storeFailures - 1, cap: configuration.storeBackoffCap)
    }

    private static func doubling(_ first: Duration, times: Int, cap: Duration) -> Duration {
        var delay = first
        for _ in 0..<max(0, min(times, 62)) where delay < cap { delay *= 2 }
        return min(delay, cap)
    }
}
