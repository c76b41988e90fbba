import Foundation

/// An outbox event claimed by one worker. The claim was committed before the worker got
/// it: the attempt is already counted in `event.attempts`, and the event is leased to this
/// claim (not claimable by anyone) until the lease ends. The handler then runs with no
/// transaction open, and the claim's outcome is written by `complete` or `recordFailure`,
/// each of which first checks that the event is still held by this `token`.
///
/// Why the attempt is counted at claim time: a handler that kills its worker (a crash, the
/// kernel's OOM killer, `kill -9`) never reaches a failure record, so an attempt counted only
/// on failure would let one poison event crash-loop its workers forever.
public struct Claim: Sendable, Equatable {
    /// The event, `attempts` including this one.
    public var event: OutboxEvent
    /// Unique to this claim; a later claim of the same event (after the lease ended) gets
    /// another, so a worker that outlived its lease cannot complete the event as well.
    public var token: String

    public init(event: OutboxEvent, token: String) {
        self.event = event
        self.token = token
    }
}

/// What one claim call found.
public struct ClaimOutcome: Sendable, Equatable {
    /// The claimed event, nil when nothing was claimable.
    public var claim: Claim?
    /// Events found claimable with every attempt already used by claims that never
    /// recorded an outcome (their workers died): parked as dead by this call instead of
    /// being tried once more.
    public var deadLettered: [OutboxEvent]

    public init(claim: Claim?, deadLettered: [OutboxEvent] = []) {
        self.claim = claim
        self.deadLettered = deadLettered
    }

    /// `last_error` of an event whose claim ended without an outcome.
    public static func unfinishedAttemptError(attempt: Int) -> String {
        unfinishedAttemptTemplate.replacingOccurrences(of: attemptPlaceholder, with: String(attempt))
    }

    /// The same text with `attemptPlaceholder` for the number, for a store that writes it
    /// in SQL (`replace(template, placeholder, attempts::text)`).
    public static let unfinishedAttemptTemplate =
        "attempt {attempt} did not finish: its worker stopped before recording an outcome (crashed, ran out of memory, was killed, or lost its lease)"
    public static let attemptPlaceholder = "{attempt}"
}
