import Foundation
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import SpectralWorker
import Testing

@Suite("The outbox worker: wake-ups by notification and by polling")
struct WorkerWakeUpTests {
    @Test("a listening worker with a long poll interval wakes up for a new event", arguments: TestBackend.allCases)
    func notificationWakesTheWorker(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let running = RunningWorker(store: store, configuration: fastConfiguration(listens: true, pollInterval: .seconds(30)))
            try await waitUntilWorkerListens(store)
            let submitted = ContinuousClock.now
            let id = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored,
                                            payload: authoringPayload(name: "woken", source: "true"), generation: 1)
            let status = try await settledStatus(store, id, timeout: .seconds(3))
            let elapsed = ContinuousClock.now - submitted
            await running.shutDown()
            #expect(status == .published(name: "woken", version: 1))
            #expect(elapsed < .seconds(2), "handled after \(elapsed)")
        }
    }

    @Test("a listening worker wakes up for each of several events in a row", arguments: TestBackend.allCases)
    func repeatedWakeUps(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let running = RunningWorker(store: store, configuration: fastConfiguration(listens: true, pollInterval: .seconds(30)))
            try await waitUntilWorkerListens(store)
            for round in 1...3 {
                let id = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored,
                                                payload: authoringPayload(name: "again", source: "true"), generation: 1)
                let status = try await settledStatus(store, id, timeout: .seconds(2))
                #expect(status == .published(name: "again", version: round), "round \(round)")
            }
            await running.shutDown()
        }
    }

    @Test("notifications of another generation do not wake the worker", arguments: TestBackend.allCases)
    func otherGenerationsDoNotWake(_ backend: TestBackend) async throws {
        try await withStore(backend) { base in
            let store = CountingStore(base)
            let running = RunningWorker(store: store, configuration: fastConfiguration(listens: true, pollInterval: .seconds(30)))
            try await waitUntilWorkerListens(store)
            try await Task.sleep(for: .milliseconds(300))  // let any wake-up in progress finish

            let before = store.claimCount
            let other = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored,
                                               payload: authoringPayload(name: "elsewhere", source: "true"), generation: 2)
            try await Task.sleep(for: .milliseconds(300))
            #expect(store.claimCount == before, "a generation-2 notification woke the generation-1 worker")

            let own = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored,
                                             payload: authoringPayload(name: "mine", source: "true"), generation: 1)
            #expect(try await settledStatus(store, own, timeout: .seconds(2)) == .published(name: "mine", version: 1))
            #expect(try await store.status(ofEvent: other) == .pending(attempts: 0, lastError: nil))
            await running.shutDown()
        }
    }

    @Test("one notification costs the idle worker two claims: the event, then nothing", arguments: TestBackend.allCases)
    func oneWakeUpPerNotification(_ backend: TestBackend) async throws {
        try await withStore(backend) { base in
            let store = CountingStore(base)
            let running = RunningWorker(store: store, configuration: fastConfiguration(listens: true, pollInterval: .seconds(30)))
            try await waitUntilWorkerListens(store)
            try await Task.sleep(for: .milliseconds(300))

            let before = store.claimCount
            let id = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored,
                                            payload: authoringPayload(name: "once", source: "true"), generation: 1)
            #expect(try await settledStatus(store, id, timeout: .seconds(2)) == .published(name: "once", version: 1))
            try await Task.sleep(for: .milliseconds(300))
            let claims = store.claimCount - before
            await running.shutDown()
            // One claim handles the event, one finds nothing; no stale ring wakes it a third time.
            #expect(claims == 2, "\(claims) claims for one notification")
        }
    }

    @Test("a worker that does not listen finds new events only when it polls", arguments: TestBackend.allCases)
    func pollingWorkerIgnoresNotifications(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            // Submitted before the worker starts, so its first claim takes it; then it waits 30 s.
            let first = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored,
                                               payload: authoringPayload(name: "first", source: "true"), generation: 1)
            let running = RunningWorker(store: store, configuration: fastConfiguration(listens: false, pollInterval: .seconds(30)))
            #expect(try await settledStatus(store, first, timeout: .seconds(5)) == .published(name: "first", version: 1))
            try await Task.sleep(for: .milliseconds(200))  // it claims once more, finds nothing and waits

            let id = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored,
                                            payload: authoringPayload(name: "unheard", source: "true"), generation: 1)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await store.status(ofEvent: id) == .pending(attempts: 0, lastError: nil))
            await running.shutDown()
        }
    }

    @Test("a polling worker picks up new events within its poll interval", arguments: TestBackend.allCases)
    func pollingFindsNewEvents(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let running = RunningWorker(store: store, configuration: fastConfiguration(listens: false, pollInterval: .milliseconds(100)))
            try await Task.sleep(for: .milliseconds(300))  // idle, polling
            let id = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored,
                                            payload: authoringPayload(name: "polled", source: "true"), generation: 1)
            let status = try await settledStatus(store, id, timeout: .seconds(3))
            await running.shutDown()
            #expect(status == .published(name: "polled", version: 1))
        }
    }
}
