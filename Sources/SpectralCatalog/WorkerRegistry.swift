/// Which worker processes run, so that generations can hand off their events.
///
/// A worker registers when it starts, heartbeats while it runs and marks itself stopped
/// once drained (`OutboxWorker` does all three). A generation is *retired* when none of
/// its workers is running: each has stopped, or has been silent (no heartbeat) for longer
/// than the adopting worker's `silence`, which covers workers that were killed. A worker
/// then claims a retired older generation's pending events as if they were its own
/// (`OutboxRepository.claim(generation:adoptingAfter:…)`), through the same claims, so each
/// is still handled exactly once. Every time comes from the database's clock.
public protocol WorkerRegistry: Sendable {
    /// Records `worker` as running, from now. Also forgets workers silent for over a week,
    /// so the registry stays the size of the fleet.
    func register(_ worker: WorkerRegistration) async throws
    /// Records that `worker` is alive now (re-registering it if its row is gone, and
    /// clearing a stop mark: a worker that comes back after being found silent runs again).
    func heartbeat(_ worker: WorkerRegistration) async throws
    /// Records that `worker` stopped: it will claim nothing more, so its generation may be
    /// adopted at once when it was the last.
    func markStopped(_ worker: WorkerRegistration) async throws
    /// Every registered worker, newest first.
    func registeredWorkers() async throws -> [RegisteredWorker]
}
