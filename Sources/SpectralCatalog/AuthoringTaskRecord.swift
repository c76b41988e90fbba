import Foundation

/// An authoring task: an intent the worker's agent turns into a predicate, over one or
/// more turns of conversation (the first from the request, one more per follow-up
/// message). The store keeps the request as the caller sent it (validated JSON text); the
/// agent reads it back from there, never from the outbox payload alone.
public struct AuthoringTaskRecord: Sendable, Equatable {
    /// A UUID in lower-case text.
    public var id: String
    /// The predicate it authors.
    public var name: String
    /// The task's JSON (`AuthoringTask` plus `rounds`, `activation`, `mask`), as validated.
    public var request: String
    public var status: AuthoringTaskStatus
    /// The conversation's current turn: 1, plus one per follow-up message.
    public var turn: Int
    /// Why it failed or was rejected, or `name@version` once published or held.
    public var detail: String?
    /// Set by `DELETE`: the agent stops at its next step.
    public var cancelRequested: Bool
    /// The key id or JWT subject that created it.
    public var owner: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, name: String, request: String, status: AuthoringTaskStatus, turn: Int, detail: String?,
                cancelRequested: Bool, owner: String, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.request = request
        self.status = status
        self.turn = turn
        self.detail = detail
        self.cancelRequested = cancelRequested
        self.owner = owner
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Where a task stands. `queued` and `running` are live; `submitted` waits for the
/// publishing worker; the rest are ends of a turn (a follow-up message starts another).
public enum AuthoringTaskStatus: String, Sendable, Equatable, CaseIterable {
    case queued, running, submitted, published, held, rejected, failed, cancelled

    /// No work is scheduled for the task: a follow-up may start the next turn.
    public var isFinished: Bool {
        switch self {
        case .queued, .running, .submitted: return false
        case .published, .held, .rejected, .failed, .cancelled: return true
        }
    }
}
