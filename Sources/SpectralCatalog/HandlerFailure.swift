/// A handler threw: nothing was written; the event's id is needed to record the failure.
public struct HandlerFailure: Error, Sendable {
    public var event: OutboxEvent
    public var message: String
    /// The handler's error was a `PermanentHandlerError`: retrying cannot help.
    public var isPermanent: Bool

    public init(event: OutboxEvent, error: any Error) {
        self.event = event
        message = "\(error)"
        isPermanent = error is any PermanentHandlerError
    }

    /// The database refused the handler's effect.
    public init(event: OutboxEvent, error: any Error, refusedBy database: String) {
        self.event = event
        message = "\(database) refused the effect: \(String(reflecting: error))"
        isPermanent = false
    }
}

/// An error retrying cannot fix: the event goes to the dead-letter state at once.
public protocol PermanentHandlerError: Error {}
