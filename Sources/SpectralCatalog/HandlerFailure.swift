/// A handler threw, or the database refused its effect: nothing was written beyond the
/// claim (which counted the attempt); the claim is needed to record the failure.
public struct HandlerFailure: Error, Sendable {
    public var claim: Claim
    public var message: String
    /// The handler's error was a `PermanentHandlerError`: retrying cannot help.
    public var isPermanent: Bool

    public var event: OutboxEvent { claim.event }

    public init(claim: Claim, error: any Error) {
        self.claim = claim
        message = "\(error)"
        isPermanent = error is any PermanentHandlerError
    }

    /// The database refused the handler's effect.
    public init(claim: Claim, error: any Error, refusedBy database: String) {
        self.claim = claim
        message = "\(database) refused the effect: \(String(reflecting: error))"
        isPermanent = false
    }
}

/// An error retrying cannot fix: the event goes to the dead-letter state at once.
public protocol PermanentHandlerError: Error {}
