import Foundation
import Spectral
import SpectralCatalog
@testable import SpectralStore
import SpectralTestSupport
import Testing

/// Claims are short committed transactions that count the attempt and lease the event;
/// outcomes are written by a second transaction that checks the claim still holds it.
/// These are the store's half of issue 14 (finding 5): a handler that never records an
/// outcome (its worker died) must still use up the event's attempts.
@Suite("Claims: attempts counted when claimed, leases, stale claims")
struct ClaimTests {
    // Fails if the attempt were counted only when a failure is recorded (the old rule): a
    // worker killed mid-handler would leave attempts at 0 and the event claimed forever.
    @Test("claims that never record an outcome use up the attempts; the event is then dead-lettered and the one behind is claimed",
          arguments: TestBackend.allCases)
    func unfinishedClaimsDeadLetter(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let poison = try await store.submit(topic: "t", payload: #"{"kills": "the worker"}"#, generation: 1)
            let behind = try await store.submit(topic: "t", payload: "{}", generation: 1)
            for attempt in 1...3 {
                // A worker claims, then dies: nothing is recorded. The lease (zero here) ends at once.
                let outcome = try await store.claim(generation: 1, lease: .zero, maxAttempts: 3)
                #expect(outcome.claim?.event.id == poison && outcome.claim?.event.attempts == attempt && outcome.deadLettered.isEmpty)
                // Committed with the claim: another connection sees it while the "handler" runs.
                #expect(try await database.count("SELECT attempts FROM outbox WHERE id = \(poison)") == attempt)
            }
            #expect(try await store.status(ofEvent: poison)
                    == .pending(attempts: 3, lastError: ClaimOutcome.unfinishedAttemptError(attempt: 2)))
            let outcome = try await store.claim(generation: 1, lease: .seconds(60), maxAttempts: 3)
            #expect(outcome.deadLettered.map(\.id) == [poison])
            let claim = try #require(outcome.claim)
            #expect(claim.event.id == behind && claim.event.attempts == 1)
            #expect(try await store.status(ofEvent: poison)
                    == .deadLettered(attempts: 3, lastError: ClaimOutcome.unfinishedAttemptError(attempt: 3)))
            #expect(try await store.complete(claim, handler: "h", effect: .none).result == .handled)
            #expect(try await store.backlog(generation: 1) == OutboxBacklog(pending: 0, dead: 1, oldestPendingAge: 0))
        }
    }

    // Fails if a claim left the event claimable while its lease runs (two workers would
    // validate it at once) or if the lease outlived its time.
    @Test("a leased event is not claimable until its lease ends, by this release nor by the previous one's claim query",
          arguments: TestBackend.allCases)
    func leaseHoldsTheEvent(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let id = try await store.submit(topic: "t", payload: "{}", generation: 1)
            let claim = try #require(try await store.claim(generation: 1, lease: .seconds(60), maxAttempts: 5).claim)
            #expect(try await store.claim(generation: 1, lease: .seconds(60), maxAttempts: 5) == ClaimOutcome(claim: nil))
            // Release 2 claimed with this condition; it must not take a leased event either (expand/contract).
            let now = backend == .postgres ? "now()" : "strftime('%Y-%m-%d %H:%M:%f', 'now')"
            #expect(try await database.count("SELECT count(*) FROM outbox WHERE status = 'pending' AND available_at <= \(now)") == 0)
            #expect(try await store.status(ofEvent: id) == .pending(attempts: 1, lastError: nil))
            #expect(try await store.complete(claim, handler: "h", effect: .none).result == .handled)
            #expect(try await database.count("SELECT count(*) FROM outbox WHERE claim_token IS NOT NULL") == 0)
        }
    }

    // Fails if a worker that outlived its lease could still apply its effect: the event
    // would be published twice (or its second publication fail on a constraint).
    @Test("of two claims of one event, only the one holding it completes: the effect is applied once",
          arguments: TestBackend.allCases)
    func staleClaimCompletesNothing(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let request = try adultRequest()
            let id = try await store.submit(.predicateAuthored(request), generation: 1)
            let effect = try publishEffect(request)
            let slow = try #require(try await store.claim(generation: 1, lease: .zero, maxAttempts: 5).claim)
            let fresh = try #require(try await store.claim(generation: 1, lease: .seconds(60), maxAttempts: 5).claim)
            #expect(slow.event.id == id && fresh.event.id == id && fresh.event.attempts == 2 && slow.token != fresh.token)
            await #expect(throws: StoreError.claimLost(eventID: id)) { _ = try await store.complete(slow, handler: "h", effect: effect) }
            await #expect(throws: StoreError.claimLost(eventID: id)) {
                _ = try await store.recordFailure(slow, error: "late", retryAfter: .zero, maxAttempts: 5)
            }
            #expect(try await store.complete(fresh, handler: "h", effect: effect).result == .published(name: "adult", version: 1))
            await #expect(throws: StoreError.claimLost(eventID: id)) { _ = try await store.complete(fresh, handler: "h", effect: effect) }
            #expect(try await database.count("SELECT count(*) FROM predicates") == 1)
            #expect(try await database.count("SELECT count(*) FROM event_handled") == 1)
        }
    }

    // Fails if the new column could not be added to a database written by release 2, or if
    // its events (pending with failures, dead) were not claimed and requeued as before.
    @Test("a database at migration 2 with events migrates to 3 and its events carry on", arguments: TestBackend.allCases)
    func releaseTwoDatabaseMigrates(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            // Back to release 2's schema and rows: no claim_token (nor the later workers table,
            // predicates.returns, mask, log_sample, impact_report, held_reason and findings
            // columns, activations.actor, decision_log and the authoring tables), attempts
            // counted on failure.
            for table in ["authoring_submissions", "authoring_events", "authoring_checkpoints", "authoring_messages", "authoring_tasks"] {
                try await database.sql("DROP TABLE \(table)")
            }
            try await database.sql("ALTER TABLE activations DROP COLUMN actor")
            try await database.sql("ALTER TABLE predicates DROP COLUMN findings")
            try await database.sql("DROP TABLE unchanged_submissions")
            try await database.sql("ALTER TABLE predicates DROP COLUMN held_reason")
            try await database.sql("ALTER TABLE predicates DROP COLUMN impact_report")
            try await database.sql("ALTER TABLE predicates DROP COLUMN log_sample")
            try await database.sql("ALTER TABLE predicates DROP COLUMN mask")
            try await database.sql("DROP TABLE decision_log")
            try await database.sql("ALTER TABLE predicates DROP COLUMN returns")
            try await database.sql("DROP TABLE workers")
            try await database.sql("ALTER TABLE outbox DROP COLUMN claim_token")
            try await database.sql("DELETE FROM schema_migrations WHERE version >= 3")
            let latest = Migration.sqlite.map(\.version).max()!
            await #expect(throws: StoreError.schemaOutOfDate(applied: 2, required: latest)) { try await store.requireCurrentSchema() }
            let retried = try await store.submit(topic: "t", payload: "{}", generation: 1)
            let dead = try await store.submit(topic: "t", payload: "{}", generation: 1)
            try await database.sql("UPDATE outbox SET attempts = 2, last_error = 'old failure' WHERE id = \(retried)")
            try await database.sql("UPDATE outbox SET attempts = 5, last_error = 'old death', status = 'dead' WHERE id = \(dead)")

            let report = try await store.migrate()
            #expect(report.applied == Array(3...latest) && report.current == latest)
            try await store.requireCurrentSchema()
            #expect(try await store.status(ofEvent: retried) == .pending(attempts: 2, lastError: "old failure"))
            let claim = try #require(try await store.claim(generation: 1, lease: .seconds(60), maxAttempts: 5).claim)
            #expect(claim.event.id == retried && claim.event.attempts == 3)
            #expect(try await store.complete(claim, handler: "h", effect: .none).result == .handled)
            try await store.requeue(eventID: dead)
            let requeued = try #require(try await store.claim(generation: 1, lease: .seconds(60), maxAttempts: 5).claim)
            #expect(requeued.event.id == dead && requeued.event.attempts == 1)
        }
    }
}
