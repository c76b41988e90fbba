import SpectralCatalog

/// The worker's decisions, free of I/O so they can be tested exhaustively: after each
/// step the service reports what happened and performs the action returned.
///
/// One event goes claim → handle → complete (or record the failure). The claim is its
/// own short transaction and counts the attempt; the handler runs with no transaction
/// open, under the handler budget; completing is another short transaction.
///
/// - A claimed event → handle it.
/// - The handler returned an effect (or its over-budget effect) → complete the claim.
/// - The handler threw (or overran its budget with no over-budget effect) → record the
///   failure: a retry after exponential backoff, or the dead-letter state once the
///   attempts reach the limit (at once for permanent errors).
/// - Completed, failure recorded, or the claim was lost → claim the next one at once.
/// - Nothing claimable → wait for a notification or the poll interval.
/// - The store failed (connection lost, server restarting) → sleep with a doubling
///   backoff, then retry the completion or failure record in flight (the claim's lease
///   still holds the event), or claim again.
/// - Shutdown requested → finish the event in flight (handle, complete or record), then
///   stop instead of claiming; a store failure while draining stops at once: the event
///   is claimable again when its lease ends, with this attempt counted.
public struct WorkerStateMachine: Sendable {
    public enum Action: Sendable, Equatable {
        case claim
        /// Run the event's handler, under the handler budget, with no transaction open.
        case handle(Claim)
        /// Write the handler's effect, if the claim still holds the event.
        case complete(Claim)
        /// Wait for a notification, at most this long.
        case waitForWork(Duration)
        /// Sleep this long, not interrupted by notifications (the store is failing).
        case backOff(Duration)
        case recordFailure(Claim, retryAfter: Duration, maxAttempts: Int)
        case stop
    }

    public enum Outcome: Sendable, Equatable {
        case claimed(Claim)
        case nothingClaimable
        /// The handler returned an effect (its own, or the one it gives for an overrun budget).
        case handlerFinished(Claim)
        case handlerFailed(Claim, permanent: Bool)
        /// `complete` wrote the effect.
        case handled
        /// The claim no longer held the event (its lease ended and another claim took it).
        case claimLost
        case failureRecorded
        case storeFailed
        /// A `backOff` sleep ended.
        case slept
    }

    public private(set) var isDraining = false
    /// Consecutive store failures.
    public private(set) var storeFailures = 0
    /// The completion or failure record a store failure interrupted, retried after the backoff.
    public private(set) var interrupted: Action?
    let configuration: WorkerConfiguration

    public init(configuration: WorkerConfiguration) {
        self.configuration = configuration
    }

    public mutating func start() -> Action { isDraining ? .stop : .claim }

    public mutating func requestShutdown() { isDraining = true }

    /// What to do after `outcome` of `action` (the action just performed).
    public mutating func next(after outcome: Outcome, of action: Action? = nil) -> Action {
        if case .storeFailed = outcome {
            storeFailures += 1
        } else if outcome != .slept {
            storeFailures = 0
        }
        switch outcome {
        case .claimed(let claim):
            // Handling is part of the event in flight: its attempt is already counted.
            return .handle(claim)
        case .handlerFinished(let claim):
            return .complete(claim)
        case .handlerFailed(let claim, let permanent):
            // Recording the failure is part of finishing the event in flight, even when draining.
            return .recordFailure(claim, retryAfter: retryDelay(afterAttempt: claim.event.attempts),
                                  maxAttempts: permanent ? 1 : configuration.maxAttempts)
        case .storeFailed:
            switch action {
            case .complete?, .recordFailure?: interrupted = action
            default: interrupted = nil
            }
            return isDraining ? .stop : .backOff(storeBackoff)
        case .slept:
            if let retry = interrupted, !isDraining {
                interrupted = nil
                return retry
            }
            interrupted = nil
            return isDraining ? .stop : .claim
        case .handled, .failureRecorded, .claimLost:
            interrupted = nil
            return isDraining ? .stop : .claim
        case .nothingClaimable:
            return isDraining ? .stop : .waitForWork(configuration.pollInterval)
        }
    }

    /// Whether a notification on the outbox channel should wake the worker: an event of
    /// its own generation, an event of an older generation when it adopts (that generation
    /// may be retired: the claim finds out), or an empty payload (a listener reconnected,
    /// so notifications may have been missed). A newer generation's events are never its.
    public func wakesUp(onNotification payload: String) -> Bool {
        if payload.isEmpty { return true }
        guard let generation = Int64(payload) else { return false }
        return generation == configuration.generation
            || (configuration.adoptAfter != nil && generation < configuration.generation)
    }

    /// The delay before attempt `attempt + 1` of an event whose attempt `attempt` failed.
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
