import Logging
import ServiceLifecycle
import SpectralCatalog
import Synchronization

/// What the worker needs of the store: the outbox and its wake-up hints.
public typealias WorkerStore = OutboxRepository & NotificationSource

/// The outbox worker, as a ServiceLifecycle service: claims events of its generation one
/// at a time, runs their handlers, and commits each effect with its handled record.
///
/// Wake-ups come from LISTEN (PostgreSQL) or the in-process signal (SQLite), with polling
/// as the fallback; either way notifications are only hints. On graceful shutdown
/// (SIGTERM) it stops claiming, lets the event in flight commit, stops listening and
/// returns.
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
    let shutdownRequested = Atomic<Bool>(false)
    private let counters = Mutex(WorkerActivity())

    public init(store: any WorkerStore, configuration: WorkerConfiguration, handlers: [any EventHandler], logger: Logger) {
        self.store = store
        self.configuration = configuration
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
            "poll_interval": "\(configuration.pollInterval)",
        ])
        try await withThrowingDiscardingTaskGroup { group in
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
        logger.info("worker stopped", metadata: ["generation": "\(configuration.generation)"])
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
        while true {
            if shutdownRequested.load(ordering: .sequentiallyConsistent) && !machine.isDraining {
                machine.requestShutdown()
                logger.info("shutdown requested: finishing the event in flight")
                // Only a failure still to be recorded belongs to the event in flight.
                if case .recordFailure = action {} else { action = .stop }
            }
            switch action {
            case .stop:
                return
            case .claim:
                action = machine.next(after: await claimOne())
            case .waitForWork(let timeout):
                await doorbell.wait(timeout: timeout)
                action = .claim
            case .backOff(let delay):
                try? await configuration.clock.sleep(for: delay)
                action = machine.isDraining ? .stop : .claim
            case .recordFailure(let eventID, let retryAfter, let maxAttempts):
                action = machine.next(after: await recordFailure(eventID, retryAfter: retryAfter, maxAttempts: maxAttempts))
            }
        }
    }

    /// The last handler error per event, kept for `recordFailure` (which runs after the
    /// claim's transaction rolled back).
    private let lastFailure = Mutex<(eventID: Int64, message: String)?>(nil)

    private func claimOne() async -> WorkerStateMachine.Outcome {
        counters.withLock { $0.claims += 1 }
        let started = ContinuousClock.now
        let handlers = self.handlers
        do {
            let handled = try await store.claimNext(generation: configuration.generation) { event in
                guard let handler = handlers[event.topic] else { throw UnknownTopic(topic: event.topic) }
                return (handler.name, try handler.handle(event))
            }
            guard let handled else { return .nothingClaimable }
            var metadata: Logger.Metadata = [
                "event_id": "\(handled.event.id)", "topic": "\(handled.event.topic)",
                "duration_ms": "\(milliseconds(since: started))",
            ]
            switch handled.result {
            case .published(let name, let version): metadata["result"] = "published"; metadata["predicate"] = "\(name)@\(version)"
            case .rejected(let name): metadata["result"] = "rejected"; metadata["predicate"] = "\(name)"
            case .handled: metadata["result"] = "handled"
            }
            logger.info("event handled", metadata: metadata)
            return .handled
        } catch let failure as HandlerFailure {
            lastFailure.withLock { $0 = (failure.event.id, failure.message) }
            logger.warning("handler failed", metadata: [
                "event_id": "\(failure.event.id)", "topic": "\(failure.event.topic)",
                "attempt": "\(failure.event.attempts + 1)", "error": "\(failure.message)",
            ])
            return .handlerFailed(eventID: failure.event.id, attempts: failure.event.attempts, permanent: failure.isPermanent)
        } catch {
            logger.warning("store unavailable; backing off", metadata: ["error": "\(String(reflecting: error))"])
            return .storeFailed
        }
    }

    private func recordFailure(_ eventID: Int64, retryAfter: Duration, maxAttempts: Int) async -> WorkerStateMachine.Outcome {
        let message = lastFailure.withLock { $0?.eventID == eventID ? $0!.message : "handler failed" }
        do {
            switch try await store.recordFailure(eventID: eventID, error: message, retryAfter: retryAfter, maxAttempts: maxAttempts) {
            case .retryScheduled(let attempts):
                logger.info("retry scheduled", metadata: ["event_id": "\(eventID)", "attempts": "\(attempts)", "retry_in": "\(retryAfter)"])
            case .deadLettered(let attempts):
                logger.error("event dead-lettered", metadata: ["event_id": "\(eventID)", "attempts": "\(attempts)", "error": "\(message)"])
            }
            return .failureRecorded
        } catch {
            logger.warning("could not record a failure; the event stays claimable", metadata: ["event_id": "\(eventID)", "error": "\(error)"])
            return .storeFailed
        }
    }

    private func milliseconds(since start: ContinuousClock.Instant) -> Double {
        ((ContinuousClock.now - start).inSeconds * 100_000).rounded() / 100
    }
}
