/// Runs one turn of an authoring task: the agent (SpectralAgent) implements it, the
/// worker's agent lane (SpectralWorker) claims the turn's `authoring.requested` event,
/// keeps its lease alive while this runs, and commits the effect it returns with the
/// event's completion. Here so that neither target depends on the other.
///
/// A run must be resumable: it reads the task's checkpoints and continues at the first
/// unfinished round, because the run before it may have died anywhere. It is cancelled
/// (Swift task cancellation) when the lane loses the event's lease or shuts down.
public protocol AuthoringTurnRunner: Sendable {
    /// The effect that ends the turn: `.submitAuthored` with the accepted predicate, or
    /// `.finishAuthoring` (failed, cancelled); `.none` when there is nothing to do (the
    /// task is gone, finished, or already past this turn). Throws for a transient failure
    /// (the store), which the lane retries from the checkpoints.
    func run(taskID: String, turn: Int) async throws -> HandlerEffect
}
