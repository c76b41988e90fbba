import Foundation
import Logging
import Spectral
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import SpectralWorker
import Synchronization
import Testing

/// Shared helpers of the worker tests: fresh migrated stores on both backends, workers
/// run in a task and stopped gracefully, and time-boxed polling.

let quietLogger = Logger(label: "spectral.worker.test") { _ in SwiftLogNoOpLogHandler() }

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Opens a migrated store on fresh storage, runs `body` while it runs, closes it.
@discardableResult
func withStore<T>(_ backend: TestBackend, _ body: (any Store) async throws -> T) async throws -> T {
    let url = try await offThePool { try backend.freshDatabaseURL() }
    return try await StoreLocation(url: url).withStore(logger: quietLogger) { store in
        _ = try await store.migrate()
        return try await body(store)
    }
}

/// Waits until a listening worker, idle in a long wait, hears notifications: probe events
/// (topic `probe`, handled by `Probe`) are submitted until one submitted after an earlier
/// one was handled is handled promptly too, which only a wake-up can do. Works whatever
/// the startup order of the worker's first claim and its listener.
///
/// "Promptly" is `reaction`, which must stay well under the worker's poll interval (the
/// caller's is 30 s) for a handled probe to prove a wake-up. It was 500 ms, which a worker
/// sharing two cores with the rest of the suite missed on every probe for 10 s; a probe
/// that misses it is still waited for before the next, so it can count as the earlier one.
func waitUntilWorkerListens(_ store: any Store, reaction: Duration = .seconds(5)) async throws {
    let deadline = ContinuousClock.now + .seconds(60)
    var handledBefore = false
    while ContinuousClock.now < deadline {
        let id = try await store.submit(topic: Probe.probeTopic, payload: "{}", generation: 1)
        let prompt = try await eventually(timeout: reaction) { try await store.status(ofEvent: id) == .handled }
        if prompt && handledBefore { return }
        if !prompt {
            _ = try await eventually(timeout: deadline - ContinuousClock.now) { try await store.status(ofEvent: id) == .handled }
        }
        handledBefore = true
        try await Task.sleep(for: .milliseconds(100))  // back in its wait
    }
    throw TestFailure("the worker did not react to notifications within 60 s")
}

/// A worker running in a task, for one test.
struct RunningWorker {
    let worker: OutboxWorker
    let task: Task<Void, any Error>

    init(store: any Store, configuration: WorkerConfiguration,
         handlers: [any EventHandler] = [PredicateAuthoredHandler(), Probe()]) {
        let worker = OutboxWorker(store: store, configuration: configuration, handlers: handlers, logger: quietLogger)
        self.worker = worker
        task = Task { try await worker.run() }
    }

    /// Requests a graceful shutdown and waits (at most `timeout`) for `run()` to return;
    /// returns how long that took, or nil when it did not return in time.
    @discardableResult
    func shutDown(timeout: Duration = .seconds(5)) async -> Duration? {
        let started = ContinuousClock.now
        worker.requestShutdown()
        let task = self.task
        guard await finishes(within: timeout, { _ = try? await task.value }) else {
            task.cancel()
            return nil
        }
        return ContinuousClock.now - started
    }
}


/// Polls the status of `id` until it is no longer pending; returns the last status.
func settledStatus(_ store: any Store, _ id: Int64, timeout: Duration = .seconds(10)) async throws -> EventStatus {
    var status = try await store.status(ofEvent: id)
    _ = try await eventually(timeout: timeout) {
        status = try await store.status(ofEvent: id)
        if case .pending = status { return false }
        return true
    }
    return status
}

/// The JSON payload of a `predicate.authored` event.
func authoringPayload(name: String, source: String, declarations: [String: String] = ["user": "map(string, dyn)"],
                      tests: [PredicateTest] = []) -> String {
    PredicateDefinition(name: name, source: source, declarations: declarations, tests: tests, author: "tests").jsonValue.serialized()
}

/// A worker configuration for tests: quick polls and retries, three attempts.
func fastConfiguration(listens: Bool = false, pollInterval: Duration = .milliseconds(50)) -> WorkerConfiguration {
    WorkerConfiguration(generation: 1, pollInterval: pollInterval, listens: listens, maxAttempts: 3,
                        retryBase: .milliseconds(10), retryCap: .milliseconds(40),
                        storeBackoffFirst: .milliseconds(20), storeBackoffCap: .milliseconds(100))
}

// MARK: Handlers for tests

/// Handles `probe` events without effect (see `waitUntilWorkerListens`).
struct Probe: EventHandler {
    static let probeTopic = "probe"
    let topic = Probe.probeTopic
    let name = "probe/v1"

    func handle(_ event: OutboxEvent) throws -> HandlerEffect { .none }
}

/// Always throws, counting its calls.
final class AlwaysFails: EventHandler {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "the downstream service said no" }
    }

    let topic = "always.fails"
    let name = "always-fails/v1"
    let calls = Atomic<Int>(0)

    func handle(_ event: OutboxEvent) throws -> HandlerEffect {
        calls.add(1, ordering: .relaxed)
        throw Failure()
    }
}

/// Throws on the first `failures` calls, then succeeds.
final class FailsAtFirst: EventHandler {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "not yet" }
    }

    let topic = "fails.at.first"
    let name = "fails-at-first/v1"
    let failures: Int
    let calls = Atomic<Int>(0)

    init(failures: Int) { self.failures = failures }

    func handle(_ event: OutboxEvent) throws -> HandlerEffect {
        let call = calls.add(1, ordering: .relaxed).newValue
        if call <= failures { throw Failure() }
        return .none
    }
}

/// Announces that it started, then takes its time before succeeding.
final class Slow: EventHandler {
    let topic = "slow"
    let name = "slow/v1"
    let started = Doorbell()
    let delay: Double

    init(seconds delay: Double) { self.delay = delay }

    func handle(_ event: OutboxEvent) throws -> HandlerEffect {
        started.ring()
        Thread.sleep(forTimeInterval: delay)
        return .none
    }
}

// MARK: Counting claims

/// A real store that counts the claims and the `listen` calls made through it; it can also
/// lose notifications (all but the empty one a listener announces itself with), to show
/// that a worker finds events without them.
final class CountingStore: Store {
    let base: any Store
    let losesNotifications: Bool
    let claims = Atomic<Int>(0)
    let listens = Atomic<Int>(0)

    init(_ base: any Store, losesNotifications: Bool = false) {
        self.base = base
        self.losesNotifications = losesNotifications
    }

    var claimCount: Int { claims.load(ordering: .sequentiallyConsistent) }
    var listenCount: Int { listens.load(ordering: .sequentiallyConsistent) }

    var backend: String { base.backend }
    func migrate() async throws -> MigrationReport { try await base.migrate() }
    func requireCurrentSchema() async throws { try await base.requireCurrentSchema() }
    func submit(topic: String, payload: String, generation: Int64) async throws -> Int64 {
        try await base.submit(topic: topic, payload: payload, generation: generation)
    }
    func status(ofEvent id: Int64) async throws -> EventStatus { try await base.status(ofEvent: id) }
    func predicates() async throws -> [PredicateSummary] { try await base.predicates() }
    func versions(of name: String) async throws -> [PredicateVersion] { try await base.versions(of: name) }
    func predicate(_ name: String, version: Int?) async throws -> PredicateVersion? { try await base.predicate(name, version: version) }
    func activate(_ name: String, version: Int, by actor: String?) async throws { try await base.activate(name, version: version, by: actor) }
    func rollback(_ name: String, by actor: String?) async throws -> Int { try await base.rollback(name, by: actor) }
    func activations(of name: String) async throws -> [ActivationEvent] { try await base.activations(of: name) }
    func claim(generation: Int64, adoptingAfter silence: Duration?, lease: Duration, maxAttempts: Int,
               topics: OutboxTopics) async throws -> ClaimOutcome {
        claims.add(1, ordering: .sequentiallyConsistent)
        return try await base.claim(generation: generation, adoptingAfter: silence, lease: lease, maxAttempts: maxAttempts, topics: topics)
    }
    func renewLease(_ claim: Claim, lease: Duration) async throws { try await base.renewLease(claim, lease: lease) }
    func complete(_ claim: Claim, handler: String, effect: HandlerEffect) async throws -> HandledEvent {
        try await base.complete(claim, handler: handler, effect: effect)
    }
    func recordFailure(_ claim: Claim, error: String, retryAfter: Duration, maxAttempts: Int) async throws -> FailureDisposition {
        try await base.recordFailure(claim, error: error, retryAfter: retryAfter, maxAttempts: maxAttempts)
    }
    func requeue(eventID: Int64) async throws { try await base.requeue(eventID: eventID) }
    func backlog(generation: Int64) async throws -> OutboxBacklog { try await base.backlog(generation: generation) }
    func deadEvents(limit: Int) async throws -> [DeadLetter] { try await base.deadEvents(limit: limit) }
    func listen(to channel: NotificationChannel, onNotification: @escaping @Sendable (String) -> Void) async throws {
        listens.add(1, ordering: .sequentiallyConsistent)
        let loses = losesNotifications
        try await base.listen(to: channel) { payload in
            if !loses || payload.isEmpty { onNotification(payload) }
        }
    }
    func insertAPIKey(_ key: APIKeyRecord) async throws { try await base.insertAPIKey(key) }
    func apiKey(id: String) async throws -> APIKeyRecord? { try await base.apiKey(id: id) }
    func apiKeys() async throws -> [APIKeyRecord] { try await base.apiKeys() }
    func revokeAPIKey(id: String) async throws { try await base.revokeAPIKey(id: id) }
    func register(_ worker: WorkerRegistration) async throws { try await base.register(worker) }
    func heartbeat(_ worker: WorkerRegistration) async throws { try await base.heartbeat(worker) }
    func markStopped(_ worker: WorkerRegistration) async throws { try await base.markStopped(worker) }
    func registeredWorkers() async throws -> [RegisteredWorker] { try await base.registeredWorkers() }
    func append(_ records: [DecisionRecord]) async throws { try await base.append(records) }
    func decision(id: DecisionID) async throws -> DecisionRecord? { try await base.decision(id: id) }
    func decisions(matching filter: DecisionLogFilter, limit: Int, after cursor: DecisionID?) async throws -> DecisionLogPage {
        try await base.decisions(matching: filter, limit: limit, after: cursor)
    }
    func oldestDecisionKept(keepingNewest count: Int) async throws -> DecisionID? {
        try await base.oldestDecisionKept(keepingNewest: count)
    }
    func pruneDecisions(before cutoff: DecisionID, limit: Int) async throws -> Int {
        try await base.pruneDecisions(before: cutoff, limit: limit)
    }
    func createAuthoringTask(id: String, name: String, request: String, owner: String, generation: Int64) async throws
        -> AuthoringTaskRecord {
        try await base.createAuthoringTask(id: id, name: name, request: request, owner: owner, generation: generation)
    }
    func authoringTask(id: String) async throws -> AuthoringTaskRecord? { try await base.authoringTask(id: id) }
    func authoringTasks(status: AuthoringTaskStatus?, limit: Int, before: String?) async throws -> [AuthoringTaskRecord] {
        try await base.authoringTasks(status: status, limit: limit, before: before)
    }
    func appendAuthoringMessage(taskID: String, text: String, generation: Int64) async throws -> AuthoringTaskRecord? {
        try await base.appendAuthoringMessage(taskID: taskID, text: text, generation: generation)
    }
    func authoringMessages(taskID: String) async throws -> [Int: String] { try await base.authoringMessages(taskID: taskID) }
    func requestAuthoringCancel(id: String) async throws -> AuthoringTaskRecord? { try await base.requestAuthoringCancel(id: id) }
    func setAuthoringStatus(id: String, _ status: AuthoringTaskStatus, detail: String?) async throws {
        try await base.setAuthoringStatus(id: id, status, detail: detail)
    }
    func appendAuthoringEvent(taskID: String, turn: Int, kind: AuthoringEventKind, data: String) async throws -> Int64 {
        try await base.appendAuthoringEvent(taskID: taskID, turn: turn, kind: kind, data: data)
    }
    func authoringEvents(taskID: String, after sequence: Int64, limit: Int) async throws -> [AuthoringTaskEvent] {
        try await base.authoringEvents(taskID: taskID, after: sequence, limit: limit)
    }
    func saveAuthoringCheckpoint(_ checkpoint: AuthoringCheckpoint) async throws { try await base.saveAuthoringCheckpoint(checkpoint) }
    func authoringCheckpoints(taskID: String) async throws -> [AuthoringCheckpoint] { try await base.authoringCheckpoints(taskID: taskID) }
    /// The base store is run by whoever opened it (`withStore`).
    func run() async throws {}
    func close() async { await base.close() }
}
