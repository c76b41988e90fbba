import Logging
import ServiceLifecycle
import SpectralCatalog
import Synchronization

/// What the worker needs of the store: the outbox, its wake-up hints, and the registry
/// through which generations hand off their events.
public typealias WorkerStore = OutboxRepository & NotificationSource & WorkerRegistry

/// The outbox worker, as a ServiceLifecycle service: claims events of its generation one
/// at a time (each claim a short committed transaction that counts the attempt), runs
/// their handlers with no transaction open and within the handler budget, and commits each
/// effect with its handled record if the claim still holds the event.
///
/// Wake-ups come from LISTEN (PostgreSQL) or the in-process signal (SQLite), with polling
/// as the fallback; either way notifications are only hints. On graceful shutdown
/// (SIGTERM) it stops claiming, lets the event in flight commit, stops listening and
/// returns.
///
/// It registers in the store's worker registry, heartbeats while it runs and marks itself
/// stopped once drained; with `configuration.adoptAfter` set it also claims the events of
/// older generations whose workers have all stopped or gone silent (generation handoff).
///
/// Its waits (the poll interval, the store backoff) run on `configuration.clock`, and
/// `activity` counts its decisions, so tests drive time and observe wake-ups instead of
/// sleeping.
public final class OutboxWorker: Service, Sendable {
    let store: any WorkerStore
    let configuration: WorkerConfiguration
    let handlers: [String: any EventHandler]
    let logger: Logger
    let doorbell: Doorbell
    /// This process in the worker registry.
    public let registration: WorkerRegistration
    let shutdownRequested = Atomic<Bool>(false)
    /// True from a failed heartbeat until the next one succeeds: an outage is logged once.
    private let heartbeatFailing = Atomic<Bool>(false)
    private let counters = Mutex(WorkerActivity())

    public init(store: any WorkerStore, configuration: WorkerConfiguration, handlers: [any EventHandler], logger: Logger) {
        self.store = store
        self.configuration = configuration
        registration = .thisProcess(generation: configuration.generation)
        self.handlers = Dictionary(handlers.map { ($0.topic, $0) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
        doorbell = Doorbell(clock: configuration.clock)
    }

    /// What it has done so far.
    public var activity: WorkerActivity { counters.withLock { $0 } }

    /// True while it waits for work (a notification or the poll interval), with no ring
    /// pending: it is then idle until one of those comes.
    public var isWaitingForWork: Bool { doorbell.hasWaiter }

    public func run() async throws {
        logger.info("worker started", metadata: [
            "store": "\(store.backend)", "generation": "\(configuration.generation)",
            "wake_up": "\(configuration.listens ? "notify+poll" : "poll only")",
            "poll_interval": "\(configuration.pollInterval)", "worker_id": "\(registration.id)",
            "adopt_after": "\(configuration.adoptAfter.map { "\($0)" } ?? "never")",
        ])
        // Registered before the first claim, so no newer generation takes this one for retired.
        let registered = await recordAlive(registering: true)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { [self] in await heartbeat(registered: registered) }
            if configuration.listens {
                group.addTask { [self] in
                    do {
                        try await store.listen(to: .outbox) { payload in self.hear(payload) }
                    } catch {
                        logger.warning("listening stopped; polling only", metadata: ["error": "\(error)"])
                    }
                }
            }
            await withGracefulShutdownHandler {
                await self.loop()
            } onGracefulShutdown: {
                self.requestShutdown()
            }
            group.cancelAll()
        }
        // Drained: nothing more will be claimed, so a newer generation may adopt at once.
        do { try await store.markStopped(registration) } catch {
            logger.warning("could not mark the worker stopped; newer generations adopt after its silence",
                           metadata: ["error": "\(String(reflecting: error))"])
        }
        logger.info("worker stopped", metadata: ["generation": "\(configuration.generation)"])
    }

    /// Heartbeats every `heartbeatInterval` until cancelled. On real time, not
    /// `configuration.clock`: silence is judged by the database's clock, which no test clock
    /// moves (and the wake-up tests count the timers on theirs).
    private func heartbeat(registered: Bool) async {
        var registered = registered
        while true {
            do { try await ContinuousClock().sleep(for: configuration.heartbeatInterval) } catch { return }
            registered = await recordAlive(registering: !registered)
        }
    }

    /// Registers (prunes and upserts) or heartbeats; false when the store failed. A failure
    /// is logged when it starts, not on every beat while the store is down.
    private func recordAlive(registering: Bool) async -> Bool {
        do {
            if registering { try await store.register(registration) } else { try await store.heartbeat(registration) }
            counters.withLock { $0.heartbeats += 1 }
            if heartbeatFailing.exchange(false, ordering: .relaxed) {
                logger.info("heartbeat recorded again", metadata: ["worker_id": "\(registration.id)"])
            }
            return true
        } catch {
            if !heartbeatFailing.exchange(true, ordering: .relaxed) {
                logger.warning("could not record a heartbeat; if this lasts, newer generations adopt this one's events", metadata: [
                    "worker_id": "\(registration.id)", "error": "\(String(reflecting: error))",
                ])
            }
            return !registering
        }
    }

    /// A notification on the outbox channel: rings the doorbell if it is a wake-up for this
    /// worker. The ring is counted before the notification (see `WorkerActivity`).
    private func hear(_ payload: String) {
        if WorkerStateMachine(configuration: configuration).wakesUp(onNotification: payload) {
            counters.withLock { $0.wakeUpNotifications += 1 }
            doorbell.ring()
        }
        counters.withLock { $0.notifications += 1 }
    }

    /// Asks the worker to stop after the event in flight, as SIGTERM does.
    public func requestShutdown() {
        shutdownRequested.store(true, ordering: .sequentiallyConsistent)
        doorbell.ring()
    }

    private func loop() async {
        var machine = WorkerStateMachine(configuration: configuration)
        var action = machine.start()
        // The event in flight: its handler's name and effect, or its failure, between steps.
        var step = InFlight()
        // A cancelled worker stops at once, as a dead one would: its claim's attempt stays
        // counted and the event is claimed again when the lease ends.
        while !Task.isCancelled {
            if shutdownRequested.load(ordering: .sequentiallyConsistent) && !machine.isDraining {
                machine.requestShutdown()
                logger.info("shutdown requested: finishing the event in flight")
                // Handling, completing and recording a failure belong to the event in flight.
                switch action {
                case .handle, .complete, .recordFailure: break
                default: action = .stop
                }
            }
            let outcome: WorkerStateMachine.Outcome
            switch action {
            case .stop:
                return
            case .claim:
                outcome = await claimOne()
            case .handle(let claim):
                outcome = await handle(claim, &step)
            case .complete(let claim):
                outcome = await complete(claim, step)
            case .recordFailure(let claim, let retryAfter, let maxAttempts):
                outcome = await recordFailure(claim, message: step.failure ?? "handler failed", retryAfter: retryAfter, maxAttempts: maxAttempts)
            case .waitForWork(let timeout):
                await doorbell.wait(timeout: timeout)
                action = .claim
                continue
            case .backOff(let delay):
                try? await configuration.clock.sleep(for: delay)
                outcome = .slept
            }
            action = machine.next(after: outcome, of: action)
        }
    }

    /// What the worker carries from handling an event to completing it.
    struct InFlight {
        var handler = ""
        var effect: HandlerEffect = .none
        var failure: String?
        var started = ContinuousClock.now
    }

    private func claimOne() async -> WorkerStateMachine.Outcome {
        counters.withLock { $0.claims += 1 }
        do {
            let outcome = try await store.claim(generation: configuration.generation, adoptingAfter: configuration.adoptAfter,
                                                lease: configuration.claimLease, maxAttempts: configuration.maxAttempts,
                                                topics: configuration.topics)
            for dead in outcome.deadLettered {
                logger.error("event dead-lettered: its last attempt never finished", metadata: [
                    "event_id": "\(dead.id)", "topic": "\(dead.topic)", "attempts": "\(dead.attempts)",
                ])
            }
            guard let claim = outcome.claim else { return .nothingClaimable }
            if claim.event.generation != configuration.generation {
                counters.withLock { $0.adoptedClaims += 1 }
                logger.info("adopted an event of a retired generation", metadata: [
                    "event_id": "\(claim.event.id)", "event_generation": "\(claim.event.generation)",
                    "generation": "\(configuration.generation)",
                ])
            }
            return .claimed(claim)
        } catch {
            logger.warning("store unavailable; backing off", metadata: ["error": "\(String(reflecting: error))"])
            return .storeFailed
        }
    }

    /// Runs the event's handler on a thread of its own, with no transaction open, for at
    /// most the handler budget.
    private func handle(_ claim: Claim, _ step: inout InFlight) async -> WorkerStateMachine.Outcome {
        let event = claim.event
        step = InFlight()
        guard let handler = handlers[event.topic] else {
            return failed(claim, UnknownTopic(topic: event.topic), &step)
        }
        let prepared: (any Sendable)?
        do {
            prepared = try await handler.prepare(event)
        } catch {
            return failed(claim, error, &step)
        }
        let budget = configuration.handlerBudget
        let run = await BudgetedRun.run(budget: budget, clock: configuration.clock) { stop in
            Result { try handler.handle(event, prepared: prepared, stop: stop) }
        }
        switch run {
        case .finished(.success(let effect)):
            (step.handler, step.effect) = (handler.name, effect)
            return .handlerFinished(claim)
        case .finished(.failure(let error)):
            return failed(claim, error, &step)
        case .overBudget:
            logger.warning("handler over budget; abandoned", metadata: [
                "event_id": "\(event.id)", "topic": "\(event.topic)", "attempt": "\(event.attempts)", "budget": "\(budget)",
            ])
            guard let effect = handler.effect(overBudget: event, budget: budget) else {
                return failed(claim, HandlerOverBudget(budget: budget), &step)
            }
            (step.handler, step.effect) = (handler.name, effect)
            return .handlerFinished(claim)
        case .abandoned:
            // Cancelled: the lease ends and the event is claimed again, this attempt counted.
            return .storeFailed
        }
    }

    private func failed(_ claim: Claim, _ error: any Error, _ step: inout InFlight) -> WorkerStateMachine.Outcome {
        let failure = HandlerFailure(claim: claim, error: error)
        step.failure = failure.message
        logger.warning("handler failed", metadata: [
            "event_id": "\(claim.event.id)", "topic": "\(claim.event.topic)",
            "attempt": "\(claim.event.attempts)", "error": "\(failure.message)",
        ])
        return .handlerFailed(claim, permanent: failure.isPermanent)
    }

    private func complete(_ claim: Claim, _ step: InFlight) async -> WorkerStateMachine.Outcome {
        do {
            let handled = try await store.complete(claim, handler: step.handler, effect: step.effect)
            var metadata: Logger.Metadata = [
                "event_id": "\(handled.event.id)", "topic": "\(handled.event.topic)", "attempt": "\(claim.event.attempts)",
                "duration_ms": "\(milliseconds(since: step.started))",
            ]
            switch handled.result {
            case .published(let name, let version): metadata["result"] = "published"; metadata["predicate"] = "\(name)@\(version)"
            case .rejected(let name): metadata["result"] = "rejected"; metadata["predicate"] = "\(name)"
            case .unchanged(let name, let version): metadata["result"] = "unchanged"; metadata["predicate"] = "\(name)@\(version)"
            case .handled: metadata["result"] = "handled"
            }
            logger.info("event handled", metadata: metadata)
            return .handled
        } catch let failure as HandlerFailure {
            var step = step
            return failed(failure.claim, StoreRefusal(message: failure.message), &step)
        } catch StoreError.claimLost(let id) {
            logger.warning("claim lost before completing; another claim holds the event", metadata: ["event_id": "\(id)"])
            return .claimLost
        } catch {
            logger.warning("store unavailable; backing off", metadata: ["error": "\(String(reflecting: error))"])
            return .storeFailed
        }
    }

    private func recordFailure(_ claim: Claim, message: String, retryAfter: Duration, maxAttempts: Int) async -> WorkerStateMachine.Outcome {
        let eventID = claim.event.id
        do {
            switch try await store.recordFailure(claim, error: message, retryAfter: retryAfter, maxAttempts: maxAttempts) {
            case .retryScheduled(let attempts):
                logger.info("retry scheduled", metadata: ["event_id": "\(eventID)", "attempts": "\(attempts)", "retry_in": "\(retryAfter)"])
            case .deadLettered(let attempts):
                logger.error("event dead-lettered", metadata: ["event_id": "\(eventID)", "attempts": "\(attempts)", "error": "\(message)"])
            }
            return .failureRecorded
        } catch StoreError.claimLost(let id) {
            logger.warning("claim lost before recording a failure", metadata: ["event_id": "\(id)"])
            return .claimLost
        } catch {
            logger.warning("could not record a failure; retrying while the claim holds", metadata: ["event_id": "\(eventID)", "error": "\(error)"])
            return .storeFailed
        }
    }

    private func milliseconds(since start: ContinuousClock.Instant) -> Double {
        ((ContinuousClock.now - start).inSeconds * 100_000).rounded() / 100
    }
}

/// The database refused a handler's effect (already described by `HandlerFailure`).
struct StoreRefusal: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
