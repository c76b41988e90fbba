import Logging
import ServiceLifecycle
import SpectralCatalog
import Synchronization

/// The worker's lane for authoring turns (`authoring.requested`), beside the outbox
/// worker that publishes, which does not claim them: a model that takes minutes, or
/// never answers, holds a slot of this lane and nothing else.
///
/// A turn's claim is a lease kept alive by a heartbeat (`renewLease` every `renewEvery`),
/// not a transaction held across model calls. The runner stores each finished round as it
/// goes; the effect it returns (the submission, or the failure) commits with the event's
/// completion and its `event_handled` row. A worker killed mid-turn stops renewing; once
/// the lease runs out, a claim (here or in another worker) resumes the turn from its
/// checkpoints. A lease lost while running (the store was unreachable for longer than the
/// lease, and another claim took the turn) cancels the run.
///
/// On graceful shutdown it stops claiming and cancels the turns in flight, recording each
/// as a failed attempt to retry at once: their rounds are checkpointed, so the next claim
/// loses at most the round that was being answered.
public final class AgentLane: Service, Sendable {
    public static let handlerName = "authoring-agent"

    let store: any WorkerStore
    /// Where a turn whose event is parked as dead gets its `failed` verdict.
    let tasks: any AuthoringTaskRepository
    let generation: Int64
    let adoptAfter: Duration?
    let listens: Bool
    let configuration: AgentLaneConfiguration
    let runner: any AuthoringTurnRunner
    let logger: Logger
    private let doorbells: [Doorbell]
    private let stopping = Atomic<Bool>(false)
    private let running = Atomic<Int>(0)

    public init(store: any WorkerStore & AuthoringTaskRepository, generation: Int64, adoptAfter: Duration?, listens: Bool,
                configuration: AgentLaneConfiguration, runner: any AuthoringTurnRunner, logger: Logger) {
        self.store = store
        tasks = store
        self.generation = generation
        self.adoptAfter = adoptAfter
        self.listens = listens
        self.configuration = configuration
        self.runner = runner
        self.logger = logger
        doorbells = (0..<configuration.concurrency).map { _ in Doorbell() }
    }

    /// Turns running now.
    public var turnsInFlight: Int { running.load(ordering: .relaxed) }

    public func run() async throws {
        logger.info("agent lane started", metadata: ["concurrency": "\(configuration.concurrency)", "lease": "\(configuration.lease)"])
        await withDiscardingTaskGroup { group in
            if listens {
                group.addTask { [self] in
                    // Every notification is only a hint: ring all idle slots, each claims or waits again.
                    try? await store.listen(to: .outbox) { _ in self.doorbells.forEach { $0.ring() } }
                }
            }
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { slots in
                    for doorbell in doorbells {
                        slots.addTask { [self] in await slot(doorbell) }
                    }
                }
            } onGracefulShutdown: {
                self.stop()
            }
            group.cancelAll()
        }
        logger.info("agent lane stopped")
    }

    /// Stops claiming and cancels the turns in flight.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        doorbells.forEach { $0.ring() }
    }

    private func slot(_ doorbell: Doorbell) async {
        while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
            let outcome: ClaimOutcome
            do {
                outcome = try await store.claim(generation: generation, adoptingAfter: adoptAfter, lease: configuration.lease,
                                                maxAttempts: configuration.maxAttempts,
                                                topics: .only([OutboxMessage.Topic.authoringRequested]))
            } catch {
                logger.warning("store unavailable; the agent lane backs off", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: configuration.storeBackoff)
                continue
            }
            for dead in outcome.deadLettered {
                logger.error("authoring turn dead-lettered: its last attempt never finished", metadata: [
                    "event_id": "\(dead.id)", "attempts": "\(dead.attempts)",
                ])
                await failTask(of: dead, "its worker stopped \(dead.attempts) times during the turn (crashed or was killed)")
            }
            guard let claim = outcome.claim else {
                await doorbell.wait(timeout: configuration.pollInterval)
                continue
            }
            running.add(1, ordering: .relaxed)
            await take(claim, doorbell)
            running.subtract(1, ordering: .relaxed)
        }
    }

    /// Runs one claimed turn with its lease kept alive, and commits its outcome.
    private func take(_ claim: Claim, _ doorbell: Doorbell) async {
        let event = claim.event
        guard case .authoringRequested(let taskID, let turn)? = try? OutboxMessage(topic: event.topic, payload: event.payload) else {
            await fail(claim, "malformed authoring.requested payload", retryAfter: .zero, finalAttempt: true)
            return
        }
        let metadata: Logger.Metadata = ["event_id": "\(event.id)", "task_id": "\(taskID)", "turn": "\(turn)", "attempt": "\(event.attempts)"]
        logger.info("authoring turn claimed", metadata: metadata)
        let result = await withTaskGroup(of: TurnStep.self) { group -> TurnStep in
            group.addTask { [runner] in
                do { return .finished(try await runner.run(taskID: taskID, turn: turn)) } catch { return .failed(error) }
            }
            group.addTask { [self] in await keepLease(claim) }
            group.addTask { [self] in
                // The slot's doorbell is free while it runs a turn: `stop` rings it.
                while !stopping.load(ordering: .relaxed) && !Task.isCancelled { await doorbell.wait(timeout: .seconds(60)) }
                return .cancelled
            }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            return first
        }
        switch result {
        case .finished(let effect):
            do {
                _ = try await store.complete(claim, handler: Self.handlerName, effect: effect)
                logger.info("authoring turn completed", metadata: metadata)
            } catch {
                logger.warning("authoring turn could not be completed; it resumes from its checkpoints", metadata: metadata.merging(
                    ["error": "\(String(reflecting: error))"], uniquingKeysWith: { $1 }))
                await fail(claim, "could not complete: \(error)", retryAfter: configuration.retryAfter, finalAttempt: false)
            }
        case .failed(let error):
            logger.warning("authoring turn failed; retried from its checkpoints", metadata: metadata.merging(
                ["error": "\(String(reflecting: error))"], uniquingKeysWith: { $1 }))
            await fail(claim, "\(error)", retryAfter: configuration.retryAfter, finalAttempt: false)
        case .leaseLost:
            logger.warning("authoring turn's lease lost; another claim holds it", metadata: metadata)
        case .cancelled:
            // Shutting down: the next claim resumes from the checkpoints, at once.
            await fail(claim, "the worker stopped during the turn; resumed from its checkpoints", retryAfter: .zero, finalAttempt: false)
        }
    }

    private enum TurnStep: Sendable {
        case finished(HandlerEffect)
        case failed(any Error)
        case leaseLost
        case cancelled
    }

    /// Renews the claim's lease until cancelled (the turn ended) or lost.
    private func keepLease(_ claim: Claim) async -> TurnStep {
        while true {
            do { try await Task.sleep(for: configuration.renewEvery) } catch { return .cancelled }
            do {
                try await store.renewLease(claim, lease: configuration.lease)
            } catch StoreError.claimLost {
                return .leaseLost
            } catch {
                // The store is down: keep trying; the lease may still hold when it is back.
                logger.warning("could not renew an authoring turn's lease", metadata: [
                    "event_id": "\(claim.event.id)", "error": "\(String(reflecting: error))",
                ])
            }
        }
    }

    private func fail(_ claim: Claim, _ message: String, retryAfter: Duration, finalAttempt: Bool) async {
        do {
            let disposition = try await store.recordFailure(claim, error: message, retryAfter: retryAfter,
                                                            maxAttempts: finalAttempt ? claim.event.attempts : configuration.maxAttempts)
            if case .deadLettered(let attempts) = disposition {
                await failTask(of: claim.event, "the turn failed \(attempts) times; the last: \(message)")
            }
        } catch {
            // The lease ends on its own and the turn is claimed again.
            logger.warning("could not record an authoring turn's failure", metadata: [
                "event_id": "\(claim.event.id)", "error": "\(String(reflecting: error))",
            ])
        }
    }

    /// A turn whose event is parked as dead ends as `failed`, with its verdict, so the
    /// task does not read `running` for ever and its event stream ends. Two writes, not one
    /// transaction: if the second is lost, the stream still ends (the status is finished).
    private func failTask(of event: OutboxEvent, _ reason: String) async {
        guard case .authoringRequested(let taskID, let turn)? = try? OutboxMessage(topic: event.topic, payload: event.payload) else { return }
        do {
            guard let task = try await tasks.authoringTask(id: taskID), task.turn == turn, !task.status.isFinished else { return }
            let detail = "the turn could not be run: \(reason)"
            try await tasks.setAuthoringStatus(id: taskID, .failed, detail: detail)
            try await tasks.appendAuthoringEvent(taskID: taskID, turn: turn, kind: .verdict,
                                                 data: AuthoringVerdict(status: .failed, detail: detail).eventData)
        } catch {
            logger.warning("could not record a dead authoring turn's verdict", metadata: [
                "task_id": "\(taskID)", "error": "\(String(reflecting: error))",
            ])
        }
    }
}
