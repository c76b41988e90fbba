import SpectralCatalog
import Synchronization

/// Handles the events of one topic. `handle` is pure with respect to the store: it
/// returns the effect, and the store applies it in the completion's transaction together
/// with the handled record, so a crash anywhere applies it once or not at all.
///
/// The worker runs `handle` on a thread of its own with no transaction open, and waits for
/// it at most `WorkerConfiguration.handlerBudget`. A handler that overruns is abandoned (its
/// thread finishes on its own) and the event ends with `effect(overBudget:budget:)`, or, when
/// that is nil, as a failed attempt.
public protocol EventHandler: Sendable {
    var topic: String { get }
    /// Recorded in `event_handled`; a new name means the handler's effects changed.
    var name: String { get }
    func handle(_ event: OutboxEvent) throws -> HandlerEffect
    /// Reads what `handle` needs from the store besides the event (the publishing handler:
    /// the active version and recent decisions to replay), before it runs and with no
    /// transaction open, so that `handle` stays pure. Defaults to nothing.
    func prepare(_ event: OutboxEvent) async throws -> (any Sendable)?
    /// `handle` with what `prepare` read. Defaults to `handle(_:stop:)`.
    func handle(_ event: OutboxEvent, prepared: (any Sendable)?, stop: HandlerStop) throws -> HandlerEffect
    /// The same, for a handler that can stop early: `stop` is raised when the worker stops
    /// waiting for it (its budget ran out), so it can leave the work nobody will use.
    /// Defaults to `handle(_:)`.
    func handle(_ event: OutboxEvent, stop: HandlerStop) throws -> HandlerEffect
    /// The effect of an event whose handling overran `budget`: a handler for which an
    /// overrun is the event's own fault (validating a predicate) says so here; nil counts
    /// the overrun as a failed attempt.
    func effect(overBudget event: OutboxEvent, budget: Duration) -> HandlerEffect?
}

extension EventHandler {
    public func handle(_ event: OutboxEvent, stop: HandlerStop) throws -> HandlerEffect { try handle(event) }

    public func prepare(_ event: OutboxEvent) async throws -> (any Sendable)? { nil }

    public func handle(_ event: OutboxEvent, prepared: (any Sendable)?, stop: HandlerStop) throws -> HandlerEffect {
        try handle(event, stop: stop)
    }

    public func effect(overBudget event: OutboxEvent, budget: Duration) -> HandlerEffect? { nil }
}

/// No handler is registered for an event's topic.
public struct UnknownTopic: PermanentHandlerError, CustomStringConvertible {
    public var topic: String
    public var description: String { "no handler for topic '\(topic)'" }
}

/// A handler ran past its budget and offers no effect for that.
public struct HandlerOverBudget: Error, CustomStringConvertible {
    public var budget: Duration
    public var description: String { "the handler did not finish within its budget of \(budget)" }
}

/// Raised by the worker when it stops waiting for a handler; read by the handler's thread.
public final class HandlerStop: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    public var isRaised: Bool { raised.load(ordering: .relaxed) }

    public func raise() { raised.store(true, ordering: .relaxed) }
}
