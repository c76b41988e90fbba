/// Authoring tasks, their checkpoints and their progress events. Every method is one
/// transaction; the ones that start work write the `authoring.requested` outbox message in
/// it, so a task is never accepted without the event that runs it (nor the reverse).
public protocol AuthoringTaskRepository: Sendable {
    /// Stores a new task (status `queued`, turn 1), its `queued` event and its
    /// `authoring.requested` message.
    func createAuthoringTask(id: String, name: String, request: String, owner: String, generation: Int64) async throws
        -> AuthoringTaskRecord
    func authoringTask(id: String) async throws -> AuthoringTaskRecord?
    /// Up to `limit` tasks, newest first (by creation time, then id, both descending: ids
    /// are random UUIDs), only those of `status` when it is set, and only those after the
    /// task `before` in that order when it is set (the last task of the page before: the
    /// cursor). A `before` that names no task gives none.
    func authoringTasks(status: AuthoringTaskStatus?, limit: Int, before: String?) async throws -> [AuthoringTaskRecord]
    /// Starts the next turn of a finished task with a follow-up message: turn + 1, status
    /// `queued`, the message stored, a `queued` event with its text and an
    /// `authoring.requested` message. Throws `StoreError.taskBusy` while the task is not
    /// finished, nil when there is no such task.
    func appendAuthoringMessage(taskID: String, text: String, generation: Int64) async throws -> AuthoringTaskRecord?
    /// The follow-up messages, by turn (turn 2 is the first follow-up).
    func authoringMessages(taskID: String) async throws -> [Int: String]
    /// Asks a task to stop. A `queued` task is cancelled at once (status, and a `cancelled`
    /// verdict event); a running one is marked and stopped by its agent. Nil when no such task.
    func requestAuthoringCancel(id: String) async throws -> AuthoringTaskRecord?
    /// Sets status and detail (`running` as the agent starts a turn, an end when it stops).
    func setAuthoringStatus(id: String, _ status: AuthoringTaskStatus, detail: String?) async throws
    /// Appends a progress event; returns its sequence number.
    @discardableResult
    func appendAuthoringEvent(taskID: String, turn: Int, kind: AuthoringEventKind, data: String) async throws -> Int64
    /// Up to `limit` events of the task after `sequence`, in order.
    func authoringEvents(taskID: String, after sequence: Int64, limit: Int) async throws -> [AuthoringTaskEvent]
    /// Stores a finished round; storing the same (task, turn, round) again keeps the first.
    func saveAuthoringCheckpoint(_ checkpoint: AuthoringCheckpoint) async throws
    /// Every stored round of the task, by turn then round.
    func authoringCheckpoints(taskID: String) async throws -> [AuthoringCheckpoint]
}
