import Foundation
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import Testing

/// Generation handoff in the store: the worker registry, and which older generation's
/// events a claim adopts. A generation is retired when none of its registered workers
/// runs (each marked stopped, or silent for longer than the claimer's `silence`); only
/// then are its pending events claimable by a newer generation. Silence is set by moving
/// a heartbeat into the past, on the database's clock, which is the clock the rule uses.
@Suite("Generation handoff: the worker registry and adoption")
struct GenerationHandoffStoreTests {
    static let silence = Duration.seconds(30)

    static func worker(_ generation: Int64, _ name: String = UUID().uuidString) -> WorkerRegistration {
        WorkerRegistration(id: name, generation: generation, host: "test-host", pid: 4242)
    }

    /// Claims as a generation-2 worker that adopts, handling nothing: the claimed event's id, or nil.
    static func adoptingClaim(_ store: any Store, generation: Int64 = 2, silence: Duration? = Self.silence) async throws -> OutboxEvent? {
        try await store.claim(generation: generation, adoptingAfter: silence, lease: .seconds(60), maxAttempts: 5).claim?.event
    }

    /// Moves a worker's heartbeat `seconds` into the past.
    static func silence(_ worker: WorkerRegistration, seconds: Int, _ database: TestDatabase) async throws {
        let past = database.backend == .postgres
            ? "now() - make_interval(secs => \(seconds))"
            : "strftime('%Y-%m-%d %H:%M:%f', 'now', '-\(seconds) seconds')"
        try await database.sql("UPDATE workers SET heartbeat_at = \(past) WHERE id = '\(worker.id)'")
    }

    // Fails if registration does not record the worker as running, or reads it back wrong.
    @Test("a registered worker is listed, running, until it marks itself stopped", arguments: TestBackend.allCases)
    func registrationRoundTrips(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let worker = Self.worker(1, "w-1")
            try await store.register(worker)
            let listed = try #require(try await store.registeredWorkers().first)
            #expect(listed.registration == worker)
            #expect(listed.stoppedAt == nil && listed.isRunning(silence: Self.silence), "\(listed)")
            #expect(listed.silentFor >= 0 && listed.silentFor < 10)

            try await store.markStopped(worker)
            let stopped = try #require(try await store.registeredWorkers().first)
            #expect(stopped.stoppedAt != nil && !stopped.isRunning(silence: Self.silence))
            // A worker found stopped that heartbeats again runs again.
            try await store.heartbeat(worker)
            #expect(try await store.registeredWorkers().first?.isRunning(silence: Self.silence) == true)
        }
    }

    // The reported bug: generation 1's events were never handled once generation 1 stopped.
    // Fails if a stopped generation's events stay unclaimable by the next one.
    @Test("a newer generation adopts an older one's events once its workers have stopped", arguments: TestBackend.allCases)
    func adoptsAfterTheLastWorkerStops(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let (first, second) = (Self.worker(1), Self.worker(1))
            try await store.register(first)
            try await store.register(second)
            let old = try await store.submit(topic: "t", payload: "{}", generation: 1)
            #expect(try await Self.adoptingClaim(store) == nil, "adopted while both generation-1 workers run")

            try await store.markStopped(first)
            #expect(try await Self.adoptingClaim(store) == nil, "adopted while one generation-1 worker still runs")

            try await store.markStopped(second)
            let adopted = try #require(try await Self.adoptingClaim(store), "not adopted after every worker stopped")
            #expect(adopted.id == old && adopted.generation == 1 && adopted.attempts == 1)
            #expect(try await Self.adoptingClaim(store) == nil, "the adopted event was leased, as any claim's")
        }
    }

    // Fails if a killed worker (it never marks itself stopped) keeps its generation's events
    // from adoption forever, or if silence is judged by anything but the claimer's `silence`.
    @Test("a worker silent for longer than the claimer's silence counts as stopped", arguments: TestBackend.allCases)
    func silentWorkersAreRetired(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let killed = Self.worker(1)
            try await store.register(killed)
            let old = try await store.submit(topic: "t", payload: "{}", generation: 1)
            try await Self.silence(killed, seconds: 60, database)
            #expect(try await Self.adoptingClaim(store, silence: .seconds(120)) == nil, "silent 60 s is alive for a 120 s silence")
            #expect(try await Self.adoptingClaim(store, silence: .seconds(30))?.id == old, "silent 60 s is dead for a 30 s silence")
        }
    }

    // Fails if a heartbeat does not keep the generation alive.
    @Test("a heartbeat keeps a generation from adoption", arguments: TestBackend.allCases)
    func heartbeatKeepsAGenerationAlive(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let worker = Self.worker(1)
            try await store.register(worker)
            _ = try await store.submit(topic: "t", payload: "{}", generation: 1)
            try await Self.silence(worker, seconds: 60, database)
            try await store.heartbeat(worker)
            #expect(try await Self.adoptingClaim(store) == nil)
        }
    }

    // Fails if a claim adopts without being asked, takes a newer generation's events, or if
    // its own events wait behind an older generation that is still running.
    @Test("adoption takes only older, retired generations, and only when asked", arguments: TestBackend.allCases)
    func adoptionIsBounded(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.register(Self.worker(1))
            let running = try await store.submit(topic: "t", payload: "{}", generation: 1)
            let orphaned = try await store.submit(topic: "t", payload: "{}", generation: 0)  // no worker ever registered
            let newer = try await store.submit(topic: "t", payload: "{}", generation: 3)
            let own = try await store.submit(topic: "t", payload: "{}", generation: 2)

            #expect(try await Self.adoptingClaim(store, silence: nil)?.id == own, "claimed another generation's event unasked")
            #expect(try await Self.adoptingClaim(store)?.id == orphaned, "a generation with no worker is retired")
            #expect(try await Self.adoptingClaim(store) == nil, "took generation 1 (running) or 3 (newer)")
            #expect(try await store.claim(generation: 3, lease: .seconds(60), maxAttempts: 5).claim?.event.id == newer)
            #expect(try await store.claim(generation: 1, lease: .seconds(60), maxAttempts: 5).claim?.event.id == running)
        }
    }

    // Fails if adopted events are not completed like the adopter's own (exactly once: the
    // claim token still decides), or if the old generation completes one the new one holds.
    @Test("an adopted event completes once, by the claim that holds it", arguments: TestBackend.allCases)
    func adoptedEventsCompleteOnce(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let id = try await store.submit(topic: "t", payload: "{}", generation: 1)
            // A generation-1 worker claimed the event, then stopped without an outcome.
            let stale = try #require(try await store.claim(generation: 1, lease: .zero, maxAttempts: 5).claim)
            let worker = Self.worker(1)
            try await store.register(worker)
            try await store.markStopped(worker)
            let adopted = try #require(try await store.claim(generation: 2, adoptingAfter: Self.silence, lease: .seconds(60), maxAttempts: 5).claim)
            #expect(adopted.event.id == id && adopted.event.attempts == 2)
            await #expect(throws: StoreError.claimLost(eventID: id)) {
                _ = try await store.complete(stale, handler: "test", effect: .none)
            }
            _ = try await store.complete(adopted, handler: "test", effect: .none)
            #expect(try await store.status(ofEvent: id) == .handled)
        }
    }

    // Fails if crashed workers' rows pile up: registering forgets those silent for a week.
    @Test("registering forgets workers silent for over a week", arguments: TestBackend.allCases)
    func registryIsPruned(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let ancient = Self.worker(1, "ancient"), recent = Self.worker(1, "recent")
            try await store.register(ancient)
            try await store.register(recent)
            try await Self.silence(ancient, seconds: 8 * 86_400, database)
            try await Self.silence(recent, seconds: 6 * 86_400, database)
            try await store.register(Self.worker(2, "new"))
            #expect(Set(try await store.registeredWorkers().map(\.registration.id)) == ["recent", "new"])
        }
    }
}
