import Foundation
import Spectral
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import Synchronization
import Testing

@Suite("The transactional outbox")
struct OutboxStoreTests {
    struct Boom: Error, CustomStringConvertible {
        var description: String { "boom: the handler failed" }
    }

    struct Hopeless: PermanentHandlerError, CustomStringConvertible {
        var description: String { "hopeless" }
    }

    @Test("claimNext returns nil on an empty outbox without calling the handler", arguments: TestBackend.allCases)
    func emptyOutboxClaimsNothing(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let calls = Atomic<Int>(0)
            let handled = try await store.claimNext(generation: 1) { _ in
                calls.add(1, ordering: .relaxed)
                return ("test", .none)
            }
            #expect(handled == nil)
            #expect(calls.load(ordering: .relaxed) == 0)
        }
    }

    @Test("claimNext takes the oldest event first and only events of its generation", arguments: TestBackend.allCases)
    func claimsOldestOfItsGenerationOnly(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let older = try await store.submit(topic: "t", payload: #"{"n": 1}"#, generation: 2)
            let otherGeneration = try await store.submit(topic: "t", payload: #"{"n": 2}"#, generation: 1)
            let newer = try await store.submit(topic: "t", payload: #"{"n": 3}"#, generation: 2)

            #expect(try await store.claimNext(generation: 3) { _ in ("test", .none) } == nil)
            let first = try #require(try await store.claimNext(generation: 2) { _ in ("test", .none) })
            #expect(first.event.id == older)
            #expect(first.event.generation == 2 && first.event.topic == "t" && first.event.payload == #"{"n": 1}"#)
            #expect(first.event.attempts == 1, "the claim counts itself")
            #expect(abs(first.event.createdAt.timeIntervalSinceNow) < 300)
            #expect(try await store.claimNext(generation: 2) { _ in ("test", .none) }?.event.id == newer)
            #expect(try await store.claimNext(generation: 2) { _ in ("test", .none) } == nil)

            #expect(try await store.status(ofEvent: otherGeneration) == .pending(attempts: 0, lastError: nil))
            #expect(try await database.sql("SELECT event_id, handler FROM event_handled ORDER BY event_id") == ["\(older)|test", "\(newer)|test"])
        }
    }

    @Test("a handler that throws writes nothing and the failure carries the event", arguments: TestBackend.allCases)
    func throwingHandlerWritesNothing(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let payload = try adultRequest().jsonValue.serialized()
            let id = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored, payload: payload, generation: 1)
            var stale: Claim?
            do {
                _ = try await store.claimNext(generation: 1, lease: .zero) { _ in throw Boom() }
                Issue.record("claimNext did not throw")
            } catch let failure as HandlerFailure {
                #expect(failure.event.id == id)
                #expect(failure.event.payload == payload)
                #expect(failure.message == "boom: the handler failed")
                #expect(!failure.isPermanent)
                stale = failure.claim
            }
            // The claim counted the attempt; no outcome was recorded.
            #expect(try await store.status(ofEvent: id) == .pending(attempts: 1, lastError: nil))
            #expect(try await store.predicates().isEmpty)
            #expect(try await database.count("SELECT count(*) FROM event_handled") == 0)
            #expect(try await database.count("SELECT count(*) FROM predicates") == 0)
            #expect(try await database.count("SELECT count(*) FROM outbox WHERE status = 'pending'") == 1)

            // Claimable again once the lease (here zero) ends: a later attempt publishes, and
            // the earlier claim, no longer the event's, can complete nothing.
            let effect = try publishEffect(try adultRequest())
            let later = try #require(try await store.claim(generation: 1, lease: .seconds(60), maxAttempts: 5).claim)
            #expect(later.event.attempts == 2)
            await #expect(throws: StoreError.claimLost(eventID: id)) {
                _ = try await store.complete(try #require(stale), handler: "test", effect: effect)
            }
            #expect(try await store.complete(later, handler: "test", effect: effect).result == .published(name: "adult", version: 1))
            #expect(try await database.count("SELECT count(*) FROM predicates") == 1)
        }
    }

    @Test("an effect the database refuses half-way is rolled back entirely", arguments: TestBackend.allCases)
    func refusedEffectIsRolledBack(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            // The name's row is written first, then the version, whose source holds U+0000,
            // which neither store keeps as text: the database refuses the effect part-way.
            let request = PredicateDefinition(name: "nul", source: "'a\u{0}b' != 'a'")
            let effect = HandlerEffect.publish(.init(request: request, bytecode: [1, 2, 3], costBound: 1))
            let id = try await store.submit(topic: "t", payload: "{}", generation: 1)
            do {
                _ = try await store.claimNext(generation: 1) { _ in ("h", effect) }
                Issue.record("the NUL effect was stored")
            } catch let failure as HandlerFailure {
                // A failed attempt of this event (to be retried, then dead-lettered), not a store outage.
                #expect(failure.event.id == id && !failure.isPermanent && failure.message.contains("refused the effect"))
            }
            #expect(try await store.status(ofEvent: id) == .pending(attempts: 1, lastError: nil))
            #expect(try await database.count("SELECT count(*) FROM predicate_names") == 0)
            #expect(try await database.count("SELECT count(*) FROM predicates") == 0)
            #expect(try await database.count("SELECT count(*) FROM activations") == 0)
            #expect(try await database.count("SELECT count(*) FROM event_handled") == 0)
        }
    }

    @Test("a permanent handler error is flagged as such", arguments: TestBackend.allCases)
    func permanentErrorIsFlagged(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let id = try await store.submit(topic: "t", payload: "{}", generation: 1)
            do {
                _ = try await store.claimNext(generation: 1) { _ in throw Hopeless() }
                Issue.record("claimNext did not throw")
            } catch let failure as HandlerFailure {
                #expect(failure.event.id == id && failure.isPermanent && failure.message == "hopeless")
                #expect(try await store.recordFailure(failure.claim, error: "hopeless", retryAfter: .seconds(1), maxAttempts: 1)
                        == .deadLettered(attempts: 1))
            }
        }
    }

    @Test("recordFailure schedules a retry that is not claimable before its time", arguments: TestBackend.allCases)
    func retryIsNotClaimableEarly(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let id = try await store.submit(topic: "t", payload: "{}", generation: 1)
            let claim = try #require(try await store.claim(generation: 1, lease: .zero, maxAttempts: 5).claim)
            // A delay no loaded machine outlasts between these lines (2 s did: the retry came due).
            let disposition = try await store.recordFailure(claim, error: "first failure", retryAfter: .seconds(60), maxAttempts: 5)
            #expect(disposition == .retryScheduled(attempts: 1))
            #expect(try await store.status(ofEvent: id) == .pending(attempts: 1, lastError: "first failure"))
            #expect(try await store.claimNext(generation: 1) { _ in ("test", .none) } == nil)
            #expect(try await store.backlog(generation: 1).pending == 1)
        }
    }

    @Test("a retry becomes claimable once its delay has passed", arguments: TestBackend.allCases)
    func retryIsClaimableAfterItsDelay(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let id = try await store.submit(topic: "t", payload: "{}", generation: 1)
            let claim = try #require(try await store.claim(generation: 1, lease: .zero, maxAttempts: 5).claim)
            #expect(try await store.recordFailure(claim, error: "flaky", retryAfter: .milliseconds(10), maxAttempts: 5)
                    == .retryScheduled(attempts: 1))
            let deadline = ContinuousClock.now + .seconds(3)
            var claimed: HandledEvent?
            while claimed == nil && ContinuousClock.now < deadline {
                claimed = try await store.claimNext(generation: 1) { _ in ("test", .none) }
                if claimed == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            let event = try #require(claimed?.event)
            #expect(event.id == id && event.attempts == 2)
            #expect(try await store.status(ofEvent: id) == .handled)
        }
    }

    @Test("an event is dead-lettered at maxAttempts, never claimed, and requeue brings it back", arguments: TestBackend.allCases)
    func deadLetterAndRequeue(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let id = try await store.submit(topic: "t", payload: "{}", generation: 1)
            var claims: [Claim] = []
            for error in ["one", "two", "three"] {
                let claim = try #require(try await store.claim(generation: 1, lease: .seconds(60), maxAttempts: 3).claim)
                claims.append(claim)
                let disposition = try await store.recordFailure(claim, error: error, retryAfter: .zero, maxAttempts: 3)
                #expect(disposition == (claims.count < 3 ? .retryScheduled(attempts: claims.count) : .deadLettered(attempts: 3)))
            }
            #expect(try await store.status(ofEvent: id) == .deadLettered(attempts: 3, lastError: "three"))
            #expect(try await store.claimNext(generation: 1) { _ in ("test", .none) } == nil)
            // A dead event takes no more failures: no claim holds it.
            await #expect(throws: StoreError.claimLost(eventID: id)) {
                _ = try await store.recordFailure(claims[2], error: "four", retryAfter: .zero, maxAttempts: 3)
            }
            #expect(try await store.status(ofEvent: id) == .deadLettered(attempts: 3, lastError: "three"))
            #expect(try await store.backlog(generation: 1).summary == "pending 0, dead 1, age 0.0")

            try await store.requeue(eventID: id)
            guard case .pending(attempts: 0, _) = try await store.status(ofEvent: id) else {
                Issue.record("requeued event is not pending with attempts reset: \(try await store.status(ofEvent: id))")
                return
            }
            #expect(try await store.backlog(generation: 1).dead == 0)
            let claimed = try #require(try await store.claimNext(generation: 1) { _ in ("test", .none) })
            #expect(claimed.event.id == id && claimed.event.attempts == 1)
            #expect(try await store.status(ofEvent: id) == .handled)
        }
    }

    @Test("requeue accepts only dead events", arguments: TestBackend.allCases)
    func requeueOnlyDeadEvents(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let pending = try await store.submit(topic: "t", payload: "{}", generation: 2)
            await #expect(throws: StoreError.unknownEvent(pending)) { try await store.requeue(eventID: pending) }
            let (done, _) = try await submitAndHandle(store, .none)
            await #expect(throws: StoreError.unknownEvent(done)) { try await store.requeue(eventID: done) }
        }
    }

    @Test("backlog counts pending and dead events of one generation", arguments: TestBackend.allCases)
    func backlogCounts(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            #expect(try await store.backlog(generation: 5).summary == "pending 0, dead 0, age 0.0")
            try await submitAndHandle(store, .none, generation: 5)
            var ids: [Int64] = []
            for _ in 0..<4 { ids.append(try await store.submit(topic: "t", payload: "{}", generation: 5)) }
            _ = try await store.submit(topic: "t", payload: "{}", generation: 6)
            let first = try #require(try await store.claim(generation: 5, lease: .seconds(60), maxAttempts: 5).claim)
            let second = try #require(try await store.claim(generation: 5, lease: .seconds(60), maxAttempts: 5).claim)
            #expect([first.event.id, second.event.id] == [ids[0], ids[1]])
            _ = try await store.recordFailure(first, error: "x", retryAfter: .zero, maxAttempts: 1)
            _ = try await store.recordFailure(second, error: "x", retryAfter: .seconds(60), maxAttempts: 5)

            let backlog = try await store.backlog(generation: 5)
            // Pending includes events waiting for a retry.
            #expect(backlog.pending == 3)
            #expect(backlog.dead == 1)
            #expect(backlog.oldestPendingAge >= 0 && backlog.oldestPendingAge < 60)
            #expect(try await store.backlog(generation: 6).pending == 1)
        }
    }

    @Test("unknown event ids are reported as such", arguments: TestBackend.allCases)
    func unknownEventIDs(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let missing: Int64 = 987_654_321
            await #expect(throws: StoreError.unknownEvent(missing)) { _ = try await store.status(ofEvent: missing) }
            let claim = Claim(event: OutboxEvent(id: missing, generation: 1, topic: "t", payload: "{}", attempts: 1, createdAt: Date()),
                              token: "no such claim")
            await #expect(throws: StoreError.claimLost(eventID: missing)) {
                _ = try await store.recordFailure(claim, error: "x", retryAfter: .zero, maxAttempts: 3)
            }
            await #expect(throws: StoreError.unknownEvent(missing)) { try await store.requeue(eventID: missing) }
        }
    }

    @Test("submitted payloads are stored verbatim", arguments: TestBackend.allCases)
    func payloadsAreVerbatim(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let payload = #"{"b": 1,   "a": "é ☃ 😀 \u0000 '\"", "n": 1.50}"#
            let id = try await store.submit(topic: "odd/topic 'quoted'", payload: payload, generation: -3)
            let claimed = try #require(try await store.claimNext(generation: -3) { _ in ("h", .none) })
            #expect(claimed.event.id == id && claimed.event.payload == payload && claimed.event.topic == "odd/topic 'quoted'")
        }
    }

    @Test("dead letters are listed newest first, every generation, without payloads, errors bounded",
          arguments: TestBackend.allCases)
    func deadLettersNewestFirst(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            #expect(try await store.deadEvents(limit: 10).isEmpty)
            func deadLetter(_ topic: String, generation: Int64, error: String) async throws -> Int64 {
                let id = try await store.submit(topic: topic, payload: #"{"secret": 1}"#, generation: generation)
                let claim = try #require(try await store.claim(generation: generation, lease: .seconds(60), maxAttempts: 1).claim)
                #expect(claim.event.id == id)
                #expect(try await store.recordFailure(claim, error: error, retryAfter: .zero, maxAttempts: 1) == .deadLettered(attempts: 1))
                return id
            }
            let first = try await deadLetter("t.one", generation: 1, error: "boom")
            let second = try await deadLetter("t.two", generation: 3, error: String(repeating: "ü", count: 501) + "tail")
            // Neither a handled event nor a pending one is listed.
            let handled = try await store.submit(topic: "t.one", payload: "{}", generation: 1)
            let waiting = try await store.submit(topic: "t.one", payload: "{}", generation: 1)
            #expect(try await store.claimNext(generation: 1) { _ in ("test", .none) }?.event.id == handled)

            let listed = try await store.deadEvents(limit: 10)
            #expect(listed.map(\.id) == [second, first])
            #expect(listed.map(\.generation) == [3, 1] && listed.map(\.topic) == ["t.two", "t.one"] && listed.map(\.attempts) == [1, 1])
            #expect(listed.last?.lastError == "boom")
            #expect(listed.first?.lastError == String(repeating: "ü", count: DeadLetter.maxErrorLength))
            #expect(listed.allSatisfy { abs($0.createdAt.timeIntervalSinceNow) < 300 })
            #expect(try await store.deadEvents(limit: 1).map(\.id) == [second])

            // A dead event with no recorded error (dead-lettered by a claim) lists with none.
            try await database.sql("UPDATE outbox SET status = 'dead', last_error = NULL WHERE id = \(waiting)")
            let withNone = try await store.deadEvents(limit: 10)
            #expect(withNone.map(\.id) == [waiting, second, first] && withNone.first?.lastError == nil)
            try await store.requeue(eventID: second)
            #expect(try await store.deadEvents(limit: 10).map(\.id) == [waiting, first])
        }
    }
}
