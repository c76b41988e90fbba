import Foundation

/// One row of the outbox, as a worker claims it.
public struct OutboxEvent: Sendable, Equatable {
    public var id: Int64
    public var generation: Int64
    public var topic: String
    /// JSON text.
    public var payload: String
    /// Attempts so far, each counted when it was claimed (a claimed event's include its
    /// own), so attempts whose worker died are counted too.
    public var attempts: Int
    public var createdAt: Date

    public init(id: Int64, generation: Int64, topic: String, payload: String, attempts: Int, createdAt: Date) {
        self.id = id
        self.generation = generation
        self.topic = topic
        self.payload = payload
        self.attempts = attempts
        self.createdAt = createdAt
    }
}

extension OutboxEvent {
    /// The typed message this event carries.
    public var message: OutboxMessage {
        get throws(OutboxMessageError) { try OutboxMessage(topic: topic, payload: payload) }
    }
}
