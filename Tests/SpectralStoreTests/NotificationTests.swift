import Foundation
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import Testing

@Suite("Notifications: LISTEN on PostgreSQL, the in-process signal on SQLite")
struct NotificationTests {
    /// Starts `store.listen(to:)` in a task recording every payload, and returns once the
    /// listener is known to be live: on PostgreSQL the connection announces itself with an
    /// empty payload; on SQLite probes are sent until one is heard.
    static func startListening(_ store: any Store, to channel: NotificationChannel,
                               recorder: NotificationRecorder) async throws -> Task<Void, any Error> {
        let task = Task { try await store.listen(to: channel) { recorder.record($0) } }
        switch store.backend {
        case "postgres":
            let live = await recorder.wait { $0.isEmpty }
            if !live { task.cancel() }
            try #require(live, "LISTEN did not announce its connection within 5 s")
        default:
            // Probes: events of generation 0, or re-activations of a `probe` predicate.
            let probe = channel == .outbox ? "0" : "probe@1"
            if channel == .predicates { try await publish(store, try adultRequest(name: "probe")) }
            let deadline = ContinuousClock.now + .seconds(5)
            while !recorder.received.contains(probe) {
                guard ContinuousClock.now < deadline else {
                    task.cancel()
                    throw TestFailure("the in-process listener never heard a probe")
                }
                if channel == .outbox {
                    _ = try await store.submit(topic: "probe", payload: "{}", generation: 0)
                } else {
                    try await store.activate("probe", version: 1)
                }
                _ = await recorder.wait(timeout: .milliseconds(20)) { $0 == probe }
            }
        }
        return task
    }

    /// Cancels the listening task and checks that it ends.
    static func stopListening(_ task: Task<Void, any Error>) async {
        task.cancel()
        let ended = await finishes(within: .seconds(5)) { _ = try? await task.value }
        #expect(ended, "listen(to:) did not return after cancellation")
    }

    @Test("a listener hears the generation of each submitted event", arguments: TestBackend.allCases)
    func listenerHearsSubmissions(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let recorder = NotificationRecorder()
            let task = try await Self.startListening(store, to: .outbox, recorder: recorder)
            _ = try await store.submit(topic: "t", payload: "{}", generation: 42)
            #expect(await recorder.wait { $0 == "42" }, "no notification for generation 42; heard \(recorder.received)")
            _ = try await store.submit(topic: "t", payload: "{}", generation: -7)
            #expect(await recorder.wait { $0 == "-7" }, "no notification for generation -7; heard \(recorder.received)")
            await Self.stopListening(task)
        }
    }

    @Test("a listener hears submissions made through another store on the same database", arguments: TestBackend.allCases)
    func listenerHearsOtherStores(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let recorder = NotificationRecorder()
            let task = try await Self.startListening(store, to: .outbox, recorder: recorder)
            let other = try await database.open()
            _ = try await other.submit(topic: "t", payload: "{}", generation: 9)
            await other.close()
            #expect(await recorder.wait { $0 == "9" }, "heard \(recorder.received)")
            await Self.stopListening(task)
        }
    }

    @Test("a listener hears requeued events", arguments: TestBackend.allCases)
    func listenerHearsRequeues(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let id = try await store.submit(topic: "t", payload: "{}", generation: 3)
            let claim = try #require(try await store.claim(generation: 3, lease: .zero, maxAttempts: 1).claim)
            #expect(claim.event.id == id)
            _ = try await store.recordFailure(claim, error: "x", retryAfter: .zero, maxAttempts: 1)
            let recorder = NotificationRecorder()
            let task = try await Self.startListening(store, to: .outbox, recorder: recorder)
            let before = recorder.received.count
            try await store.requeue(eventID: id)
            // PostgreSQL names the generation; the in-process signal sends an empty payload.
            let heard = await recorder.wait { _ in recorder.received.count > before }
            #expect(heard, "no notification after requeue")
            await Self.stopListening(task)
        }
    }

    @Test("a listener on a different SQLite file hears nothing")
    func otherSQLiteFilesAreSilent() async throws {
        try await withStore(.sqlite) { store, _ in
            try await withStore(.sqlite) { elsewhere, _ in
                let recorder = NotificationRecorder()
                let task = try await Self.startListening(store, to: .outbox, recorder: recorder)
                let before = recorder.received
                // The in-process signal is delivered before submit returns.
                _ = try await elsewhere.submit(topic: "t", payload: "{}", generation: 5)
                #expect(recorder.received == before)
                _ = try await store.submit(topic: "t", payload: "{}", generation: 5)
                #expect(recorder.received == before + ["5"])
                await Self.stopListening(task)
            }
        }
    }

    @Test("the predicates channel announces publications, activations and rollbacks", arguments: TestBackend.allCases)
    func predicateChannel(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let recorder = NotificationRecorder()
            let task = try await Self.startListening(store, to: .predicates, recorder: recorder)
            try await publish(store, try adultRequest())
            #expect(await recorder.wait { $0 == "adult@1" }, "heard \(recorder.received)")
            try await publish(store, try adultRequest(source: "user.age >= 21"))
            #expect(await recorder.wait { $0 == "adult@2" }, "heard \(recorder.received)")
            let count = recorder.received.count
            try await store.activate("adult", version: 1)
            #expect(await recorder.wait { _ in recorder.received.count > count && recorder.received.last == "adult@1" },
                    "heard \(recorder.received)")
            #expect(try await store.rollback("adult") == 2)
            #expect(await recorder.wait { _ in recorder.received.last == "adult@2" }, "heard \(recorder.received)")
            await Self.stopListening(task)
        }
    }

    @Test("publishing without activation is announced too (a version was published)", arguments: TestBackend.allCases)
    func inactivePublicationIsAnnounced(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let recorder = NotificationRecorder()
            let task = try await Self.startListening(store, to: .predicates, recorder: recorder)
            try await publish(store, try adultRequest(name: "shadow", activate: false))
            #expect(await recorder.wait(timeout: .seconds(2)) { $0 == "shadow@1" }, "heard \(recorder.received)")
            await Self.stopListening(task)
        }
    }
}
