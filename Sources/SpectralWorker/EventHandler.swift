import SpectralCatalog

/// Handles the events of one topic. `handle` is pure with respect to the store: it
/// returns the effect, and the store applies it in the claim's transaction together
/// with the handled record, so a crash anywhere applies it once or not at all.
public protocol EventHandler: Sendable {
    var topic: String { get }
    /// Recorded in `event_handled`; a new name means the handler's effects changed.
    var name: String { get }
    func handle(_ event: OutboxEvent) throws -> HandlerEffect
}

/// No handler is registered for an event's topic.
public struct UnknownTopic: PermanentHandlerError, CustomStringConvertible {
    public var topic: String
    public var description: String { "no handler for topic '\(topic)'" }
}
