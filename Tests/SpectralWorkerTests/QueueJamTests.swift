import Foundation
import Spectral
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import SpectralWorker
import Testing

/// Issue 14, finding 5: a predicate whose validation is slow (an expensive pattern over
/// large attached tests) jammed the outbox, because it was validated inside the claim's
/// transaction: SQLite's write lock was held for the whole validation (other submissions
/// got "database is locked"), PostgreSQL's operation deadline cut the claim short and the
/// event was claimed again forever with attempts still 0, and a handler that killed its
/// worker crash-looped it the same way. These tests reproduce each, scaled to seconds, with
/// the validation held at a gate the test controls, and the handler budget on a manual clock.
@Suite("Slow and poison events do not jam the outbox")
struct QueueJamTests {
    static let budget = Duration.seconds(10)

    /// A worker on a manual clock (the budget ends only when the test says), polling rarely.
    static func configuration(_ clock: ManualClock) -> WorkerConfiguration {
        WorkerConfiguration(generation: 1, pollInterval: .seconds(3600), listens: false, maxAttempts: 3,
                            handlerBudget: budget, claimLease: .seconds(60),
                            retryBase: .zero, retryCap: .zero, storeBackoffFirst: .milliseconds(20), storeBackoffCap: .milliseconds(100),
                            clock: clock)
    }

    /// The real handler, whose validation of predicates named `held` waits at `gate` first.
    static func handler(holding gate: Gate) -> PredicateAuthoredHandler {
        PredicateAuthoredHandler(validation: { request, validator, stop in
            if request.name == "held" { gate.pass() }
            return validator.validate(source: request.source, declarations: request.declarations, tests: request.tests,
                                      shouldStop: { stop.isRaised })
        })
    }

    static func submit(_ store: any Store, _ name: String, source: String = "user.age >= 18") async throws -> Int64 {
        try await store.submit(topic: OutboxMessage.Topic.predicateAuthored, payload: authoringPayload(name: name, source: source), generation: 1)
    }

    static func require(_ condition: @escaping @Sendable () -> Bool, _ what: String) async throws {
        try #require(try await eventually(timeout: .seconds(60)) { condition() }, "\(what) within 60 s")
    }

    // Before the fix, on SQLite the submission waited for the validation (the claim's
    // transaction held the write lock) and, with the gate shut, failed "database is locked"
    // after the 30 s busy timeout; the attempt was not visible (attempts 0) on either backend.
    @Test("while a validation is in progress, another submission and an activation on the same store complete",
          arguments: TestBackend.allCases)
    func otherWritesProceedDuringValidation(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let base = try await Self.submit(store, "base")
            _ = try await store.claimNext(generation: 1) { event in ("setup", try PredicateAuthoredHandler().handle(event)) }
            #expect(try await store.status(ofEvent: base) == .published(name: "base", version: 1))

            let gate = Gate()
            let held = try await Self.submit(store, "held")
            let running = RunningWorker(store: store, configuration: Self.configuration(ManualClock()), handlers: [Self.handler(holding: gate)])
            defer { gate.open() }
            try await Self.require({ gate.entered == 1 }, "the validation reached the gate")

            let other = Task { () -> Int64 in
                let id = try await Self.submit(store, "other")
                try await store.activate("base", version: 1)
                return id
            }
            let done = await finishes(within: .seconds(10)) { _ = try? await other.value }
            #expect(done, "a submission and an activation did not complete within 10 s while a validation was in progress")
            let otherID = try await other.value
            // Still in progress: the gate is shut, and the claim's attempt is already committed.
            #expect(!gate.isOpen && gate.entered == 1)
            #expect(try await store.status(ofEvent: held) == .pending(attempts: 1, lastError: nil))
            #expect(try await store.status(ofEvent: otherID) == .pending(attempts: 0, lastError: nil))

            gate.open()
            #expect(try await settledStatus(store, held, timeout: .seconds(60)) == .published(name: "held", version: 1))
            #expect(try await settledStatus(store, otherID, timeout: .seconds(60)) == .published(name: "other", version: 1))
            #expect(await running.shutDown() != nil)
        }
    }

    // Before the fix, the claim's transaction shared PostgreSQL's operation deadline with
    // the validation: it timed out, was logged as "store unavailable", rolled back (attempts
    // still 0) and the event was claimed and validated again, forever.
    @Test("a validation that outlasts PostgreSQL's operation timeout publishes, validated once")
    func validationOutlastsTheOperationTimeout() async throws {
        let url = try await offThePool { try TestBackend.postgres.freshDatabaseURL() }
        guard case .postgres(let location) = try StoreLocation(url: url) else { throw TestFailure("not a postgres URL: \(url)") }
        // Only the worker's store has the short timeout under test. The test's own calls go
        // through a second store with the default timeout: with the short one, a status read
        // on a loaded CI machine once outlasted it and failed the test for the wrong reason.
        let timeout = Duration.seconds(2)
        let workerStore = try PostgresStore(location, logger: quietLogger, operationTimeout: timeout)
        let store = try PostgresStore(location, logger: quietLogger)
        try await store.whileRunning { try await workerStore.whileRunning {
            _ = try await eventually(timeout: .seconds(30), interval: .milliseconds(100)) { (try? await store.migrate()) != nil }
            let gate = Gate()
            defer { gate.open() }
            let held = try await Self.submit(store, "held")
            let running = RunningWorker(store: workerStore, configuration: Self.configuration(ManualClock()), handlers: [Self.handler(holding: gate)])
            try await Self.require({ gate.entered == 1 }, "the validation reached the gate")
            // Hold the validation three operation timeouts long: setting up the condition,
            // not waiting for a result.
            try await Task.sleep(for: timeout * 3)
            gate.open()
            #expect(try await settledStatus(store, held, timeout: .seconds(60)) == .published(name: "held", version: 1))
            #expect(gate.entered == 1, "the event was validated \(gate.entered) times")
            #expect(await running.shutDown() != nil)
        } }
    }

    // Before the fix there was no budget: the worker waited for the validation for ever
    // (or, on PostgreSQL, until the operation deadline, and then again).
    @Test("a validation over its time budget is rejected with a diagnostic, its attempt counted, and the next event proceeds",
          arguments: TestBackend.allCases)
    func validationOverBudgetIsRejected(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let gate = Gate()
            defer { gate.open() }
            let clock = ManualClock()
            let held = try await Self.submit(store, "held")
            let behind = try await Self.submit(store, "behind")
            let running = RunningWorker(store: store, configuration: Self.configuration(clock), handlers: [Self.handler(holding: gate)])
            try await Self.require({ gate.entered == 1 }, "the validation reached the gate")
            try await Self.require({ clock.deadlines.contains(clock.now.advanced(by: Self.budget)) }, "the budget's timer started")
            #expect(try await store.status(ofEvent: held) == .pending(attempts: 1, lastError: nil))
            #expect(clock.advance(by: Self.budget - .nanoseconds(1)) == 0, "the budget ended early")
            #expect(clock.advance(by: .nanoseconds(1)) == 1)

            let status = try await settledStatus(store, held, timeout: .seconds(60))
            guard case .rejected("held", let diagnostics) = status else {
                Issue.record("expected a rejection of held, got \(status)")
                return
            }
            #expect(diagnostics.map(\.stage) == ["budget"])
            #expect(diagnostics.first?.message.contains("within its time budget of 10.0 s") == true)
            #expect(try await settledStatus(store, behind, timeout: .seconds(60)) == .published(name: "behind", version: 1))
            #expect(!gate.isOpen, "the rejection came while the validation was still running")
            #expect(await running.shutDown() != nil)
        }
    }

    // A handler of another topic that overruns has no rejection to give: each overrun is a
    // failed attempt, and the event is dead-lettered after maxAttempts.
    @Test("a handler that never returns is dead-lettered after maxAttempts budgets, and the next event proceeds",
          arguments: TestBackend.allCases)
    func hangingHandlerIsDeadLettered(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let gate = Gate()
            defer { gate.open() }
            let clock = ManualClock()
            let hang = try await store.submit(topic: Hangs.hangsTopic, payload: "{}", generation: 1)
            let behind = try await store.submit(topic: Probe.probeTopic, payload: "{}", generation: 1)
            let running = RunningWorker(store: store, configuration: Self.configuration(clock), handlers: [Hangs(gate: gate), Probe()])
            for attempt in 1...3 {
                try await Self.require({ gate.entered == attempt }, "attempt \(attempt) reached the handler")
                try await Self.require({ clock.deadlines.contains(clock.now.advanced(by: Self.budget)) }, "attempt \(attempt)'s budget started")
                #expect(try await store.status(ofEvent: hang) == .pending(attempts: attempt, lastError: attempt == 1 ? nil
                    : "the handler did not finish within its budget of 10.0 seconds"))
                clock.advance(by: Self.budget)
            }
            #expect(try await settledStatus(store, hang, timeout: .seconds(60))
                    == .deadLettered(attempts: 3, lastError: "the handler did not finish within its budget of 10.0 seconds"))
            #expect(try await settledStatus(store, behind, timeout: .seconds(60)) == .handled)
            #expect(gate.entered == 3)
            #expect(await running.shutDown() != nil)
        }
    }

    // Before the fix, a worker that died mid-handler rolled back its claim (attempts still
    // 0): restarted, it took the same event and died again, for ever.
    @Test("workers dropped mid-handler leave their attempts counted; after maxAttempts the event is dead-lettered and the next proceeds",
          arguments: TestBackend.allCases)
    func droppedWorkersDeadLetterThePoison(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let gate = Gate()
            defer { gate.open() }
            // Real time here: the lease is measured by the database. Short, so each new worker
            // retries the poison soon; a budget no test reaches.
            let configuration = WorkerConfiguration(generation: 1, pollInterval: .milliseconds(20), listens: false, maxAttempts: 3,
                                                    handlerBudget: .seconds(3600), claimLease: .milliseconds(200))
            let poison = try await Self.submit(store, "held")
            let behind = try await Self.submit(store, "behind")
            for death in 1...3 {
                let running = RunningWorker(store: store, configuration: configuration, handlers: [Self.handler(holding: gate)])
                try await Self.require({ gate.entered == death }, "worker \(death) reached the handler")
                #expect(try await store.status(ofEvent: poison) == .pending(
                    attempts: death, lastError: death == 1 ? nil : ClaimOutcome.unfinishedAttemptError(attempt: death - 1)))
                // Dropped mid-handler: it records nothing (as a process killed by the OOM killer would).
                running.task.cancel()
                let task = running.task
                #expect(await finishes(within: .seconds(10)) { _ = try? await task.value }, "worker \(death) did not stop")
            }
            let survivor = RunningWorker(store: store, configuration: configuration, handlers: [Self.handler(holding: gate)])
            #expect(try await settledStatus(store, poison, timeout: .seconds(60))
                    == .deadLettered(attempts: 3, lastError: ClaimOutcome.unfinishedAttemptError(attempt: 3)))
            #expect(try await settledStatus(store, behind, timeout: .seconds(60)) == .published(name: "behind", version: 1))
            #expect(gate.entered == 3, "the poison was handled \(gate.entered) times")
            #expect(await survivor.shutDown() != nil)
        }
    }
}
