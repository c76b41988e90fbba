import Foundation

/// One entry of a task's progress stream (`GET /v1/authoring/tasks/{id}/events`): stored
/// in order, numbered by `sequence` across all tasks, so a client that lost its stream
/// resumes after the last number it saw (`Last-Event-ID`) without loss.
public struct AuthoringTaskEvent: Sendable, Equatable {
    public var sequence: Int64
    public var taskID: String
    public var turn: Int
    /// `AuthoringEventKind`'s raw value.
    public var kind: String
    /// A JSON object, as text.
    public var data: String
    public var createdAt: Date

    public init(sequence: Int64, taskID: String, turn: Int, kind: String, data: String, createdAt: Date) {
        self.sequence = sequence
        self.taskID = taskID
        self.turn = turn
        self.kind = kind
        self.data = data
        self.createdAt = createdAt
    }
}

/// The kinds of progress a task reports.
public enum AuthoringEventKind: String, Sendable, CaseIterable {
    /// The task was accepted (or a follow-up message started a turn): `{"text"?}`.
    case queued
    /// `{"round", "max_rounds"}`.
    case roundStarted = "round_started"
    /// Model text as it arrived: `{"round", "text"}`; consecutive deltas may be merged.
    case delta
    /// The round's diagnostics, rendered as Spectral renders them: `{"round", "expression"?, "diagnostics": [...]}`.
    case diagnostics
    /// `{"round", "expression"}`: passed every check.
    case accepted
    /// Sent to the publishing worker: `{"event_id", "expression"}`.
    case submitted
    /// The end of a turn: `{"verdict": published|held|rejected|failed|cancelled, "detail"?, "version"?, "impact"?}`.
    case verdict
}

/// One finished round of a task's conversation, stored as it ends so that a worker that
/// restarts resumes at the first unfinished round without asking the model again.
public struct AuthoringCheckpoint: Sendable, Equatable {
    public var taskID: String
    public var turn: Int
    public var round: Int
    /// The messages sent for this round, as a JSON array of `{"role", "content"}`.
    public var sent: String
    /// The model's whole answer.
    public var answer: String
    public var promptTokens: Int
    public var completionTokens: Int
    /// The expression found in the answer, if any.
    public var expression: String?
    /// The diagnostics as a JSON array (empty when accepted).
    public var diagnostics: String

    public init(taskID: String, turn: Int, round: Int, sent: String, answer: String, promptTokens: Int, completionTokens: Int,
                expression: String?, diagnostics: String) {
        self.taskID = taskID
        self.turn = turn
        self.round = round
        self.sent = sent
        self.answer = answer
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.expression = expression
        self.diagnostics = diagnostics
    }
}
