import Foundation
import Spectral
import SpectralCatalog
import SpectralJSON
import SpectralStore
import SpectralTestSupport
import SpectralWorker
import Testing

/// Authoring tasks in the store: each method's rows, events and outbox messages, the topic
/// filter and lease renewal the agent lane claims with, and a submission's round trip
/// through the publishing worker (the real `PredicateAuthoredHandler`) back to its task.
// Serialized: 36 cases, half on PostgreSQL, each with a fresh database and pool; run at once beside
// the rest of the suite they starved the test server (CI: "the database did not answer").
@Suite("Authoring tasks in the store", .serialized)
struct AuthoringTaskStoreTests {
    static let request = #"{"name":"adult","intent":"adults only","declarations":{"user":"map(string, dyn)"}}"#
    static let requested = OutboxTopics.only([OutboxMessage.Topic.authoringRequested])
    static let notRequested = OutboxTopics.except([OutboxMessage.Topic.authoringRequested])

    /// A new task of `generation`, with a fresh id.
    static func createTask(_ store: any Store, generation: Int64 = 1) async throws -> AuthoringTaskRecord {
        try await store.createAuthoringTask(id: UUID().uuidString.lowercased(), name: "adult", request: request, owner: "key-1",
                                            generation: generation)
    }

    static func claim(_ store: any Store, generation: Int64 = 1, _ topics: OutboxTopics, lease: Duration = .seconds(60),
                      maxAttempts: Int = 5) async throws -> Claim? {
        try await store.claim(generation: generation, adoptingAfter: nil, lease: lease, maxAttempts: maxAttempts, topics: topics).claim
    }

    /// Claims the task's turn as the agent would and submits `definition` for it.
    static func submit(_ store: any Store, _ task: AuthoringTaskRecord, _ definition: PredicateDefinition,
                       generation: Int64 = 1) async throws -> HandledEvent {
        let claim = try #require(try await claim(store, generation: generation, requested))
        #expect(try claim.event.message == .authoringRequested(taskID: task.id, turn: task.turn))
        return try await store.complete(claim, handler: "authoring.requested/agent.v1",
                                        effect: .submitAuthored(taskID: task.id, turn: task.turn, definition: definition))
    }

    static func lastEvent(_ store: any Store, _ taskID: String) async throws -> AuthoringTaskEvent {
        try #require(try await store.authoringEvents(taskID: taskID, after: 0, limit: 1_000).last)
    }

    static func verdictJSON(_ members: [(String, JSONValue)]) -> String { JSONValue.object(members).serialized() }

    // MARK: Creating

    @Test("creating a task stores it, its queued event and one claimable authoring.requested message",
          arguments: TestBackend.allCases)
    func createWritesTaskEventAndMessage(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let id = UUID().uuidString.lowercased()
            let task = try await store.createAuthoringTask(id: id, name: "adult", request: Self.request, owner: "key-1", generation: 1)
            #expect(task.id == id && task.name == "adult" && task.request == Self.request && task.owner == "key-1")
            #expect(task.status == .queued && task.turn == 1 && task.detail == nil && !task.cancelRequested)
            #expect(abs(task.createdAt.timeIntervalSinceNow) < 300 && task.updatedAt == task.createdAt)
            #expect(try await store.authoringTask(id: id) == task)
            #expect(try await store.authoringTask(id: "no-such-task") == nil)

            let events = try await store.authoringEvents(taskID: id, after: 0, limit: 10)
            #expect(events.count == 1)
            #expect(events.first?.taskID == id && events.first?.turn == 1 && events.first?.kind == "queued" && events.first?.data == "{}")
            #expect(try await database.count("SELECT count(*) FROM outbox") == 1)

            let claim = try #require(try await Self.claim(store, Self.requested))
            #expect(claim.event.topic == "authoring.requested" && claim.event.generation == 1 && claim.event.attempts == 1)
            #expect(claim.event.payload == #"{"task_id":"\#(id)","turn":1}"#)
            #expect(try claim.event.message == .authoringRequested(taskID: id, turn: 1))
            #expect(try await Self.claim(store, .all) == nil)
        }
    }

    @Test("starting a turn and submitting wake the workers of the generation, as submit does", arguments: TestBackend.allCases)
    func startingATurnNotifies(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let recorder = NotificationRecorder()
            let listening = try await NotificationTests.startListening(store, to: .outbox, recorder: recorder)
            func heard(_ generation: String, times: Int) async -> Bool {
                await recorder.wait { _ in recorder.received.filter { $0 == generation }.count >= times }
            }
            let first = try await Self.createTask(store, generation: 41)
            #expect(await heard("41", times: 1), "no notification for the new task; heard \(recorder.received)")
            try await store.setAuthoringStatus(id: first.id, .failed, detail: "gave up")
            _ = try await store.appendAuthoringMessage(taskID: first.id, text: "again", generation: 42)
            #expect(await heard("42", times: 1), "no notification for the follow-up; heard \(recorder.received)")
            let second = try await Self.createTask(store, generation: 43)
            _ = try await Self.submit(store, second, try adultRequest(), generation: 43)
            #expect(await heard("43", times: 2), "no notification for the submission; heard \(recorder.received)")
            await NotificationTests.stopListening(listening)
        }
    }

    @Test("every status the catalog knows fits the table's CHECK and reads back", arguments: TestBackend.allCases)
    func everyStatusIsStorable(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let task = try await Self.createTask(store)
            for status in AuthoringTaskStatus.allCases {
                try await store.setAuthoringStatus(id: task.id, status, detail: "as \(status.rawValue)")
                let read = try #require(try await store.authoringTask(id: task.id))
                #expect(read.status == status && read.detail == "as \(status.rawValue)")
            }
            try await store.setAuthoringStatus(id: task.id, .running, detail: nil)
            #expect(try await store.authoringTask(id: task.id)?.detail == nil)
        }
    }

    @Test("tasks are listed newest first (creation time, then id), by status, a page after a cursor",
          arguments: TestBackend.allCases)
    func listsTasksNewestFirst(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            #expect(try await store.authoringTasks(status: nil, limit: 10, before: nil).isEmpty)
            var ids: [String] = []
            for _ in 0..<5 { ids.append(try await Self.createTask(store).id) }
            try await store.setAuthoringStatus(id: ids[3], .failed, detail: "gave up")
            // Three tasks made in the same instant: their ids (random) decide, and a cursor
            // among them must neither skip nor repeat one.
            try await database.sql("UPDATE authoring_tasks SET created_at = '2026-01-01 00:00:00.000' WHERE id IN ('\(ids[0])', '\(ids[1])', '\(ids[2])')")
            var records: [AuthoringTaskRecord] = []
            for id in ids { records.append(try #require(try await store.authoringTask(id: id))) }
            let newest = records.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
            #expect(Set(newest.suffix(3).map(\.id)) == Set(ids.prefix(3)), "the tied tasks are the oldest")
            #expect(newest.suffix(3).map(\.id) == ids.prefix(3).sorted(by: >))

            #expect(try await store.authoringTasks(status: nil, limit: 10, before: nil) == newest)
            #expect(try await store.authoringTasks(status: nil, limit: 2, before: nil) == Array(newest.prefix(2)))
            // Page by page with the last id as the cursor: every task once, in order.
            var paged: [AuthoringTaskRecord] = []
            var cursor: String?
            while true {
                let page = try await store.authoringTasks(status: nil, limit: 2, before: cursor)
                #expect(page.count <= 2)
                paged += page
                guard let last = page.last, page.count == 2 else { break }
                cursor = last.id
            }
            #expect(paged == newest)

            #expect(try await store.authoringTasks(status: .failed, limit: 10, before: nil).map(\.id) == [ids[3]])
            #expect(try await store.authoringTasks(status: .published, limit: 10, before: nil).isEmpty)
            let queued = newest.filter { $0.status == .queued }
            #expect(try await store.authoringTasks(status: .queued, limit: 10, before: nil) == queued)
            #expect(try await store.authoringTasks(status: .queued, limit: 10, before: queued[1].id) == Array(queued.dropFirst(2)))
            // The cursor is a position, whatever its own status.
            #expect(try await store.authoringTasks(status: .queued, limit: 10, before: ids[3]) == newest.drop { $0.id != ids[3] }.dropFirst().filter { $0.status == .queued })
            #expect(try await store.authoringTasks(status: nil, limit: 10, before: UUID().uuidString.lowercased()).isEmpty)
            #expect(try await store.authoringTasks(status: nil, limit: 10, before: newest.last!.id).isEmpty)
        }
    }

    // MARK: Claims by topic and lease renewal

    @Test("a topic filter takes only the topics it admits", arguments: TestBackend.allCases)
    func topicFilters(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            // The predicate.authored event is older: an unfiltered claim would take it first.
            let authored = try await store.submit(.predicateAuthored(try adultRequest()), generation: 1)
            let task = try await Self.createTask(store)

            let agent = try #require(try await Self.claim(store, Self.requested))
            #expect(agent.event.topic == "authoring.requested" && agent.event.payload.contains(task.id))
            #expect(try await Self.claim(store, Self.requested) == nil, "only authoring.requested was admitted, and it is leased")

            let main = try #require(try await Self.claim(store, Self.notRequested))
            #expect(main.event.id == authored && main.event.topic == "predicate.authored")
            #expect(try await Self.claim(store, Self.notRequested) == nil)
            #expect(try await Self.claim(store, .only([])) == nil)
        }
    }

    @Test("a filtered claim dead-letters only events of the topics it admits", arguments: TestBackend.allCases)
    func filteredClaimsDeadLetterTheirOwnTopics(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let authored = try await store.submit(.predicateAuthored(try adultRequest()), generation: 1)
            _ = try #require(try await Self.claim(store, Self.notRequested, lease: .zero, maxAttempts: 1))
            let task = try await Self.createTask(store)
            // Its last attempt is used, but the agent lane does not look at its topic.
            let outcome = try await store.claim(generation: 1, adoptingAfter: nil, lease: .seconds(60), maxAttempts: 1,
                                                topics: Self.requested)
            #expect(outcome.deadLettered.isEmpty)
            #expect(try outcome.claim?.event.message == .authoringRequested(taskID: task.id, turn: 1))
            let main = try await store.claim(generation: 1, adoptingAfter: nil, lease: .seconds(60), maxAttempts: 1,
                                             topics: Self.notRequested)
            #expect(main.claim == nil && main.deadLettered.map(\.id) == [authored])
        }
    }

    @Test("renewing a lease keeps the event from other claims; a stale claim cannot renew", arguments: TestBackend.allCases)
    func renewLease(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await Self.createTask(store)
            let claim = try #require(try await Self.claim(store, Self.requested, lease: .seconds(1)))
            try await store.renewLease(claim, lease: .seconds(60))
            try await Task.sleep(for: .milliseconds(1_500))
            #expect(try await Self.claim(store, Self.requested) == nil, "the renewed lease has not ended")

            let stale = Claim(event: claim.event, token: "not-the-claim's-token")
            await #expect(throws: StoreError.claimLost(eventID: claim.event.id)) { try await store.renewLease(stale, lease: .seconds(60)) }
            _ = try await store.complete(claim, handler: "test", effect: .none)
            await #expect(throws: StoreError.claimLost(eventID: claim.event.id)) { try await store.renewLease(claim, lease: .seconds(60)) }
        }
    }

    @Test("without renewal the lease ends and another claim takes the event", arguments: TestBackend.allCases)
    func leaseEndsWithoutRenewal(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await Self.createTask(store)
            let first = try #require(try await Self.claim(store, Self.requested, lease: .milliseconds(200)))
            try await Task.sleep(for: .milliseconds(500))
            let second = try #require(try await Self.claim(store, Self.requested))
            #expect(second.event.id == first.event.id && second.event.attempts == 2)
            await #expect(throws: StoreError.claimLost(eventID: first.event.id)) { try await store.renewLease(first, lease: .seconds(60)) }
        }
    }

    // MARK: Checkpoints and events

    @Test("checkpoints keep the first write of a round and read back by turn then round", arguments: TestBackend.allCases)
    func checkpoints(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let task = try await Self.createTask(store)
            let other = try await Self.createTask(store)
            func checkpoint(_ taskID: String, turn: Int, round: Int, answer: String, expression: String?) -> AuthoringCheckpoint {
                AuthoringCheckpoint(taskID: taskID, turn: turn, round: round, sent: #"[{"role":"user","content":"round \#(round)"}]"#,
                                    answer: answer, promptTokens: 100 * round, completionTokens: 10 * round, expression: expression,
                                    diagnostics: expression == nil ? #"["no expression"]"# : "[]")
            }
            let t2r1 = checkpoint(task.id, turn: 2, round: 1, answer: "third", expression: "user.age > 17")
            let t1r2 = checkpoint(task.id, turn: 1, round: 2, answer: "second", expression: "user.age >= 18")
            let t1r1 = checkpoint(task.id, turn: 1, round: 1, answer: "first", expression: nil)
            for saved in [t2r1, t1r2, t1r1, checkpoint(other.id, turn: 1, round: 1, answer: "elsewhere", expression: nil)] {
                try await store.saveAuthoringCheckpoint(saved)
            }
            try await store.saveAuthoringCheckpoint(checkpoint(task.id, turn: 1, round: 1, answer: "a second write", expression: "true"))
            #expect(try await store.authoringCheckpoints(taskID: task.id) == [t1r1, t1r2, t2r1])
            #expect(try await store.authoringCheckpoints(taskID: "no-such-task") == [])
        }
    }

    @Test("a task's events after a sequence number, in order and up to the limit", arguments: TestBackend.allCases)
    func eventsAfterASequence(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let task = try await Self.createTask(store)
            let other = try await Self.createTask(store)
            let queued = try await Self.lastEvent(store, task.id).sequence
            let started = try await store.appendAuthoringEvent(taskID: task.id, turn: 1, kind: .roundStarted, data: #"{"round":1,"max_rounds":5}"#)
            let elsewhere = try await store.appendAuthoringEvent(taskID: other.id, turn: 1, kind: .delta, data: #"{"round":1,"text":"x"}"#)
            let delta = try await store.appendAuthoringEvent(taskID: task.id, turn: 1, kind: .delta, data: #"{"round":1,"text":"user"}"#)
            #expect(queued < started && started < elsewhere && elsewhere < delta, "numbered across tasks, in order")

            let all = try await store.authoringEvents(taskID: task.id, after: 0, limit: 100)
            #expect(all.map(\.sequence) == [queued, started, delta])
            #expect(all.map(\.kind) == ["queued", "round_started", "delta"])
            #expect(all.last?.data == #"{"round":1,"text":"user"}"# && all.last?.turn == 1 && all.last?.taskID == task.id)
            #expect(try await store.authoringEvents(taskID: task.id, after: queued, limit: 100).map(\.sequence) == [started, delta])
            #expect(try await store.authoringEvents(taskID: task.id, after: queued, limit: 1).map(\.sequence) == [started])
            #expect(try await store.authoringEvents(taskID: task.id, after: delta, limit: 100).isEmpty)
        }
    }

    // MARK: Follow-ups and cancellation

    @Test("a follow-up is refused while the turn runs, and starts the next turn once it has finished",
          arguments: TestBackend.allCases)
    func followUps(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            #expect(try await store.appendAuthoringMessage(taskID: "no-such-task", text: "hello", generation: 1) == nil)
            let task = try await Self.createTask(store)
            await #expect(throws: StoreError.taskBusy(id: task.id, status: "queued")) {
                try await store.appendAuthoringMessage(taskID: task.id, text: "too soon", generation: 1)
            }
            // The agent takes turn 1; a cancellation is asked for, and the turn fails.
            let turn1 = try #require(try await Self.claim(store, Self.requested))
            try await store.setAuthoringStatus(id: task.id, .running, detail: nil)
            await #expect(throws: StoreError.taskBusy(id: task.id, status: "running")) {
                try await store.appendAuthoringMessage(taskID: task.id, text: "too soon", generation: 1)
            }
            #expect(try await store.requestAuthoringCancel(id: task.id)?.cancelRequested == true)
            _ = try await store.complete(turn1, handler: "agent",
                                         effect: .finishAuthoring(taskID: task.id, turn: 1, status: .failed, detail: "out of rounds"))

            let followed = try #require(try await store.appendAuthoringMessage(taskID: task.id, text: "make it \"stricter\"", generation: 1))
            #expect(followed.turn == 2 && followed.status == .queued && followed.detail == nil && !followed.cancelRequested)
            #expect(followed.createdAt == task.createdAt && followed.request == task.request)
            #expect(try await store.authoringTask(id: task.id) == followed)
            #expect(try await store.authoringMessages(taskID: task.id) == [2: "make it \"stricter\""])
            let queued = try await Self.lastEvent(store, task.id)
            #expect(queued.kind == "queued" && queued.turn == 2 && queued.data == #"{"text":"make it \"stricter\""}"#)

            let turn2 = try #require(try await Self.claim(store, Self.requested))
            #expect(try turn2.event.message == .authoringRequested(taskID: task.id, turn: 2))
            #expect(try await Self.claim(store, .all) == nil)
        }
    }

    @Test("cancelling: a queued task ends at once, a running one is marked, a finished one is left",
          arguments: TestBackend.allCases)
    func cancellation(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            #expect(try await store.requestAuthoringCancel(id: "no-such-task") == nil)

            let queued = try await Self.createTask(store)
            let cancelled = try #require(try await store.requestAuthoringCancel(id: queued.id))
            #expect(cancelled.status == .cancelled && cancelled.detail == "cancelled before it started" && cancelled.turn == 1)
            let verdict = try await Self.lastEvent(store, queued.id)
            #expect(verdict.kind == "verdict" && verdict.turn == 1)
            #expect(verdict.data == #"{"verdict":"cancelled","detail":"cancelled before it started"}"#)

            let running = try await Self.createTask(store)
            try await store.setAuthoringStatus(id: running.id, .running, detail: nil)
            let marked = try #require(try await store.requestAuthoringCancel(id: running.id))
            #expect(marked.status == .running && marked.cancelRequested && marked.detail == nil)
            #expect(try await store.authoringEvents(taskID: running.id, after: 0, limit: 10).map(\.kind) == ["queued"])

            let submitted = try await Self.createTask(store)
            try await store.setAuthoringStatus(id: submitted.id, .submitted, detail: nil)
            #expect(try await store.requestAuthoringCancel(id: submitted.id)?.cancelRequested == true)

            // A second request changes nothing more.
            #expect(try await store.requestAuthoringCancel(id: queued.id) == cancelled)
            #expect(try await store.authoringEvents(taskID: queued.id, after: 0, limit: 10).map(\.kind) == ["queued", "verdict"])
        }
    }

    // MARK: Ends of a turn through the outbox

    @Test("a submission becomes a predicate.authored event linked to its task; publishing it records the verdict",
          arguments: TestBackend.allCases)
    func submissionPublished(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let task = try await Self.createTask(store, generation: 3)
            let definition = try adultRequest()
            let submitted = try await Self.submit(store, task, definition, generation: 3)
            #expect(submitted.result == .handled)
            #expect(try await store.authoringTask(id: task.id)?.status == .submitted)

            let rows = try await database.sql("SELECT id, generation, topic, status FROM outbox WHERE topic = 'predicate.authored'")
            #expect(rows.count == 1)
            let eventID = try #require(Int64(rows.first?.split(separator: "|").first ?? ""))
            #expect(rows == ["\(eventID)|3|predicate.authored|pending"])
            #expect(try await database.sql("SELECT event_id, task_id, turn FROM authoring_submissions") == ["\(eventID)|\(task.id)|1"])
            let submittedEvent = try await Self.lastEvent(store, task.id)
            #expect(submittedEvent.kind == "submitted" && submittedEvent.turn == 1)
            #expect(submittedEvent.data == Self.verdictJSON([("event_id", .number(JSONNumber(eventID))), ("expression", .string(adultSource))]))

            let handler = PredicateAuthoredHandler()
            let published = try #require(try await store.claimNext(generation: 3) { event in (handler.name, try handler.handle(event)) })
            #expect(published.event.id == eventID && published.event.payload == definition.jsonValue.serialized())
            #expect(published.result == .published(name: "adult", version: 1))

            let after = try #require(try await store.authoringTask(id: task.id))
            #expect(after.status == .published && after.detail == "adult@1" && after.turn == 1)
            let verdict = try await Self.lastEvent(store, task.id)
            #expect(verdict.kind == "verdict" && verdict.turn == 1)
            #expect(verdict.data == #"{"verdict":"published","detail":"adult@1","version":1}"#)
            #expect(try await store.predicate("adult", version: nil)?.version == 1)
        }
    }

    @Test("a held publication of a submission records a held verdict", arguments: TestBackend.allCases)
    func submissionHeld(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let task = try await Self.createTask(store)
            _ = try await Self.submit(store, task, try adultRequest())
            let claim = try #require(try await Self.claim(store, .all))
            guard case .publish(var version) = try PredicateAuthoredHandler().handle(claim.event) else { throw TestFailure("not published") }
            version.heldReason = "held for review"
            #expect(try await store.complete(claim, handler: "publish", effect: .publish(version)).result == .published(name: "adult", version: 1))

            let after = try #require(try await store.authoringTask(id: task.id))
            #expect(after.status == .held && after.detail == "held for review")
            let verdict = try await Self.lastEvent(store, task.id)
            #expect(verdict.data == AuthoringVerdict.published(version, number: 1).eventData)
            #expect(verdict.data == #"{"verdict":"held","detail":"held for review","version":1}"#)
        }
    }

    @Test("a rejected submission records the rejection as the task's verdict", arguments: TestBackend.allCases)
    func submissionRejected(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let task = try await Self.createTask(store)
            // Its attached test expects an adult of 50 to pass.
            _ = try await Self.submit(store, task, try adultRequest(source: "user.age >= 100"))
            let claim = try #require(try await Self.claim(store, .all))
            let effect = try PredicateAuthoredHandler().handle(claim.event)
            guard case .reject(let rejection) = effect else { throw TestFailure("expected a rejection, got \(effect)") }
            #expect(try await store.complete(claim, handler: "publish", effect: effect).result == .rejected(name: "adult"))

            let expected = AuthoringVerdict.rejected(rejection)
            let after = try #require(try await store.authoringTask(id: task.id))
            #expect(after.status == .rejected && after.detail == expected.detail)
            #expect(after.detail?.contains("grown-up") == true, "the failing test is named: \(after.detail ?? "nil")")
            let verdict = try await Self.lastEvent(store, task.id)
            #expect(verdict.kind == "verdict" && verdict.data == expected.eventData)
            #expect(verdict.data == Self.verdictJSON([("verdict", .string("rejected")), ("detail", .string(expected.detail ?? ""))]))
        }
    }

    @Test("a submission identical to the active version records an unchanged verdict", arguments: TestBackend.allCases)
    func submissionUnchanged(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await publish(store, try adultRequest())
            let task = try await Self.createTask(store)
            _ = try await Self.submit(store, task, try adultRequest())
            let claim = try #require(try await Self.claim(store, .all))
            let handler = PredicateAuthoredHandler(evidence: store)
            let effect = try handler.handle(claim.event, prepared: try await handler.prepare(claim.event), stop: HandlerStop())
            #expect(try await store.complete(claim, handler: handler.name, effect: effect).result == .unchanged(name: "adult", version: 1))

            let after = try #require(try await store.authoringTask(id: task.id))
            #expect(after.status == .published && after.detail == "adult@1 (unchanged: identical to the active version)")
            #expect(try await Self.lastEvent(store, task.id).data
                    == #"{"verdict":"published","detail":"adult@1 (unchanged: identical to the active version)","version":1}"#)
        }
    }

    @Test("a turn that ends without a submission records its status and verdict", arguments: TestBackend.allCases)
    func finishAuthoring(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let task = try await Self.createTask(store)
            let claim = try #require(try await Self.claim(store, Self.requested))
            let handled = try await store.complete(claim, handler: "agent",
                                                   effect: .finishAuthoring(taskID: task.id, turn: 1, status: .failed, detail: "no expression passed"))
            #expect(handled.result == .handled)
            let after = try #require(try await store.authoringTask(id: task.id))
            #expect(after.status == .failed && after.detail == "no expression passed")
            let verdict = try await Self.lastEvent(store, task.id)
            #expect(verdict.kind == "verdict" && verdict.turn == 1 && verdict.data == #"{"verdict":"failed","detail":"no expression passed"}"#)
            #expect(try await store.status(ofEvent: claim.event.id) == .handled)
            #expect(try await database.count("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0)
        }
    }

    @Test("a submission dead-lettered by recordFailure fails its task with the last error", arguments: TestBackend.allCases)
    func submissionDeadLetteredOnFailure(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let task = try await Self.createTask(store)
            _ = try await Self.submit(store, task, try adultRequest())
            let claim = try #require(try await Self.claim(store, .all, maxAttempts: 1))
            #expect(try await store.recordFailure(claim, error: "boom", retryAfter: .zero, maxAttempts: 1) == .deadLettered(attempts: 1))
            let after = try #require(try await store.authoringTask(id: task.id))
            #expect(after.status == .failed && after.detail == "the submission could not be published: boom")
            #expect(try await Self.lastEvent(store, task.id).data
                    == #"{"verdict":"failed","detail":"the submission could not be published: boom"}"#)
        }
    }

    @Test("a submission dead-lettered by a claim fails its task; other events dead-letter as before", arguments: TestBackend.allCases)
    func submissionDeadLetteredByClaim(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let task = try await Self.createTask(store)
            _ = try await Self.submit(store, task, try adultRequest())
            let plain = try await store.submit(.predicateAuthored(try adultRequest(name: "plain")), generation: 1)
            // Both claimed with their last attempt, and abandoned (their workers died) until their
            // leases ended. The leases are long enough that the second claim comes well before the
            // first lease ends even on a loaded machine (with 300 ms, a CI run's second claim came
            // after it and dead-lettered the submission itself).
            let submission = try #require(try await Self.claim(store, .all, lease: .seconds(2), maxAttempts: 1))
            #expect(try #require(try await Self.claim(store, .all, lease: .seconds(2), maxAttempts: 1)).event.id == plain)
            let waiting = try await Self.createTask(store)
            try await Task.sleep(for: .milliseconds(2_300))

            let outcome = try await store.claim(generation: 1, adoptingAfter: nil, lease: .seconds(60), maxAttempts: 1, topics: Self.notRequested)
            #expect(outcome.claim == nil)
            #expect(outcome.deadLettered.map(\.id) == [submission.event.id, plain])
            let lastError = ClaimOutcome.unfinishedAttemptError(attempt: 1)
            #expect(try await store.status(ofEvent: submission.event.id) == .deadLettered(attempts: 1, lastError: lastError))
            #expect(try await store.status(ofEvent: plain) == .deadLettered(attempts: 1, lastError: lastError))
            let after = try #require(try await store.authoringTask(id: task.id))
            #expect(after.status == .failed && after.detail == "the submission could not be published: \(lastError)")
            #expect(try await Self.lastEvent(store, task.id).data == AuthoringVerdict(status: .failed, detail: after.detail).eventData)
            #expect(try await store.authoringTask(id: waiting.id)?.status == .queued, "the agent lane's event was not considered")
        }
    }
}
