import Spectral

/// What handling an outbox event changes in the store. The store applies it in the same
/// transaction that records the event as handled and completes its outbox row, so the
/// effect happens exactly once or not at all.
public enum HandlerEffect: Sendable {
    /// Publish a new version of a predicate; the store numbers it.
    case publish(NewVersion)
    /// Record a rejection with every diagnostic.
    case reject(Rejection)
    /// Publish nothing: the submission is identical to the active version `version`.
    case unchanged(name: String, version: Int)
    /// Nothing beyond marking the event handled.
    case none
    /// An authoring turn accepted an expression: the store writes `definition` to the
    /// outbox as `predicate.authored`, remembers which task it came from (so publishing it
    /// records the task's verdict in the same transaction), marks the task `submitted`
    /// and appends its `submitted` event.
    case submitAuthored(taskID: String, turn: Int, definition: PredicateDefinition)
    /// An authoring turn ended without a submission: the task's status (`failed`,
    /// `rejected` or `cancelled`) and detail, and its `verdict` event.
    case finishAuthoring(taskID: String, turn: Int, status: AuthoringTaskStatus, detail: String)

    public struct NewVersion: Sendable {
        public var request: PredicateDefinition
        public var bytecode: [UInt8]
        public var costBound: UInt64?
        /// The replay of recent decisions through the active version and this one; nil
        /// when the predicate had no active version (or no logged decisions to replay).
        public var impact: ImpactReport?
        /// Why the activation policy keeps it from going live; nil when it may. A held
        /// version is published but not activated, whatever `request.activate` says.
        public var heldReason: String?
        /// What trying the version showed (`VersionFindings`); nil when it was not tried.
        public var findings: VersionFindings?

        public init(request: PredicateDefinition, bytecode: [UInt8], costBound: UInt64?,
                    impact: ImpactReport? = nil, heldReason: String? = nil, findings: VersionFindings? = nil) {
            self.request = request
            self.bytecode = bytecode
            self.costBound = costBound
            self.impact = impact
            self.heldReason = heldReason
            self.findings = findings
        }

        /// Goes live when published: asked to, and not held.
        public var activates: Bool { request.activate && heldReason == nil }
    }

    public struct Rejection: Sendable {
        public var name: String
        public var source: String
        public var diagnostics: [AuthoringDiagnostic]

        public init(name: String, source: String, diagnostics: [AuthoringDiagnostic]) {
            self.name = name
            self.source = source
            self.diagnostics = diagnostics
        }
    }
}

/// What a claimed event became.
public struct HandledEvent: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        case published(name: String, version: Int)
        case rejected(name: String)
        case unchanged(name: String, version: Int)
        case handled
    }

    public var event: OutboxEvent
    public var result: Result

    public init(event: OutboxEvent, result: Result) {
        self.event = event
        self.result = result
    }
}

/// How the store recorded a failed attempt.
public enum FailureDisposition: Sendable, Equatable {
    /// The event will be claimable again after the backoff.
    case retryScheduled(attempts: Int)
    /// The event reached the attempt limit and is parked in the dead-letter state.
    case deadLettered(attempts: Int)
}
