import Foundation
import Spectral
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import SpectralWorker
import Testing

@Suite("The outbox worker: handling, retries and dead letters")
struct OutboxWorkerTests {
    @Test("a worker drains a backlog of valid and invalid predicates, then shuts down", arguments: TestBackend.allCases)
    func drainsTheBacklog(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            // 20 events: every third is invalid (a parse error, a check error, a failing test in turn).
            var expectations: [(id: Int64, valid: Bool)] = []
            for index in 0..<20 {
                let name = "p\(index % 4)"
                let payload: String
                let valid = index % 3 != 0
                if valid {
                    payload = authoringPayload(name: name, source: "user.age >= \(index)")
                } else {
                    switch index % 9 {
                    case 0: payload = authoringPayload(name: name, source: "user.age >= ")
                    case 3: payload = authoringPayload(name: name, source: "nobody.age >= 1")
                    default:
                        let test = PredicateTest(input: try JSONValue.parse(#"{"user": {"age": 1}}"#), expect: .bool(true))
                        payload = authoringPayload(name: name, source: "user.age >= 18", tests: [test])
                    }
                }
                expectations.append((try await store.submit(topic: OutboxMessage.Topic.predicateAuthored, payload: payload, generation: 1), valid))
            }
            let otherGeneration = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored,
                                                         payload: authoringPayload(name: "later", source: "true"), generation: 2)

            let running = RunningWorker(store: store, configuration: fastConfiguration())
            let drained = try await eventually(timeout: .seconds(20)) {
                try await store.backlog(generation: 1).pending == 0
            }
            let stopped = await running.shutDown()
            #expect(drained, "the backlog was not drained within 20 s")
            #expect(stopped != nil, "run() did not return after requestShutdown")

            var published = 0, rejected = 0
            for (id, valid) in expectations {
                let status = try await store.status(ofEvent: id)
                switch status {
                case .published: published += 1; #expect(valid, "event \(id)")
                case .rejected(_, let diagnostics): rejected += 1; #expect(!valid && !diagnostics.isEmpty, "event \(id)")
                default: Issue.record("event \(id) is \(status)")
                }
            }
            #expect(published == 13 && rejected == 7)
            // Versions are numbered per name in submission order; each new one becomes active.
            let summaries = try await store.predicates()
            #expect(summaries.map(\.name) == ["p0", "p1", "p2", "p3"])
            #expect(summaries.map(\.versions.count).reduce(0, +) == 13)
            #expect(summaries.allSatisfy { $0.versions == Array(1...$0.versions.count) && $0.activeVersion == $0.latestVersion })
            #expect(try await store.status(ofEvent: otherGeneration) == .pending(attempts: 0, lastError: nil))
        }
    }

    @Test("an event of a topic without handler is dead-lettered after one attempt", arguments: TestBackend.allCases)
    func unknownTopicIsDeadLettered(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let id = try await store.submit(topic: "no.such.topic", payload: "{}", generation: 1)
            let running = RunningWorker(store: store, configuration: fastConfiguration())
            let status = try await settledStatus(store, id)
            await running.shutDown()
            guard case .deadLettered(let attempts, let lastError) = status else {
                Issue.record("expected a dead letter, got \(status)")
                return
            }
            #expect(attempts == 1)
            #expect(lastError?.contains("no handler for topic 'no.such.topic'") == true)
        }
    }

    @Test("a handler that always throws is dead-lettered after maxAttempts", arguments: TestBackend.allCases)
    func failingHandlerIsDeadLettered(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let handler = AlwaysFails()
            let id = try await store.submit(topic: handler.topic, payload: "{}", generation: 1)
            let running = RunningWorker(store: store, configuration: fastConfiguration(), handlers: [handler])
            let status = try await settledStatus(store, id)
            await running.shutDown()
            guard case .deadLettered(let attempts, let lastError) = status else {
                Issue.record("expected a dead letter, got \(status)")
                return
            }
            #expect(attempts == 3)
            #expect(lastError?.contains("the downstream service said no") == true)
            #expect(handler.calls.load(ordering: .relaxed) == 3)
            #expect(try await store.backlog(generation: 1).dead == 1)
        }
    }

    @Test("a transient handler failure is retried and then succeeds", arguments: TestBackend.allCases)
    func transientFailureIsRetried(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let handler = FailsAtFirst(failures: 2)
            let id = try await store.submit(topic: handler.topic, payload: "{}", generation: 1)
            let running = RunningWorker(store: store, configuration: fastConfiguration(), handlers: [handler])
            let status = try await settledStatus(store, id)
            await running.shutDown()
            #expect(status == .handled)
            #expect(handler.calls.load(ordering: .relaxed) == 3)
        }
    }

    @Test("a requeued dead event is handled again", arguments: TestBackend.allCases)
    func requeuedEventIsRetried(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let id = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored,
                                            payload: authoringPayload(name: "again", source: "true"), generation: 1)
            let claim = try #require(try await store.claim(generation: 1, lease: .zero, maxAttempts: 1).claim)
            _ = try await store.recordFailure(claim, error: "earlier outage", retryAfter: .zero, maxAttempts: 1)
            let running = RunningWorker(store: store, configuration: fastConfiguration(listens: true))
            try await store.requeue(eventID: id)
            let status = try await settledStatus(store, id)
            await running.shutDown()
            #expect(status == .published(name: "again", version: 1))
        }
    }

    @Test("an event whose effect the database refuses does not block the events after it", arguments: TestBackend.allCases)
    func refusedEffectDoesNotBlockTheOutbox(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            // Valid JSON and a valid predicate, but its source holds U+0000, which PostgreSQL TEXT cannot store.
            let poison = #"{"name": "nul", "source": "'a\u0000b' != 'a'"}"#
            let first = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored, payload: poison, generation: 1)
            let second = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored,
                                                payload: authoringPayload(name: "behind", source: "true"), generation: 1)
            let running = RunningWorker(store: store, configuration: fastConfiguration())
            // Blocked would be for ever; 10 s (not 1 or 3) because each event is two short
            // transactions and a thread, which a full test run on two cores has stretched past 3 s.
            let firstStatus = try await settledStatus(store, first, timeout: .seconds(10))
            let secondStatus = try await settledStatus(store, second, timeout: .seconds(10))
            await running.shutDown()
            // Neither store's text holds U+0000: the request is rejected as a payload error
            // instead of reaching the database, and the event behind it is not held up.
            guard case .rejected(_, let diagnostics) = firstStatus else {
                Issue.record("the NUL event is \(firstStatus)")
                return
            }
            #expect(diagnostics.map(\.stage) == ["payload"] && diagnostics[0].message.contains("U+0000"))
            #expect(secondStatus == .published(name: "behind", version: 1))
        }
    }
}
