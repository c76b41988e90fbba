import Foundation
import Logging
import Spectral
import SpectralCatalog
import SpectralJSON
import SpectralStore
import SpectralTestSupport
import SpectralWorker
import Testing
@testable import SpectralAgent

/// Authoring tasks run by the worker's agent lane against a scripted OpenAI-compatible
/// server (no model is reachable here): real stores, the real publishing worker, real
/// streamed HTTP. The scripted server counts what it was asked.
// Runs on its own after the suite, as the process tests do (`.ci/run`): its workers, lanes,
// streams and scripted servers poll on timers, and beside the whole suite on two cores they
// pushed timing-bound tests (theirs and others') past their limits in CI.
@Suite("Authoring tasks in the worker's agent lane", .serialized, .enabled(if: ProcessInfo.processInfo.environment["SPECTRAL_PROCESS_TESTS"] == "1",
                "runs alone: SPECTRAL_PROCESS_TESTS=1 swift test --filter AgentLaneTests"))
struct AgentLaneTests {
    static let good = ["Here it is:\n```cel\nage >= 18 && ", "country == 'FR'\n```"]

    @Test("a task whose first answer does not parse streams both rounds, then publishes", arguments: TestBackend.allCases)
    func repairThenPublish(_ backend: TestBackend) async throws {
        let llm = ScriptedLLMServer([.streamed(["I would say ", "it depends."]), .streamed(Self.good)])
        try await withAgentStore(backend) { fixture in
            try await llm.run { url in
                let worker = AgentWorkerFixture(store: fixture.store, llm: url)
                let id = try await createTask(fixture.store, adultInFrance.request)
                let task = try await finishedTask(fixture.store, id)
                await worker.stop()
                #expect(task?.status == .published)
                #expect(task?.detail == "adult_in_france@1")
                #expect(try await eventKinds(fixture.store, id) == [
                    "queued", "round_started", "delta", "diagnostics", "round_started", "delta", "diagnostics", "accepted", "submitted", "verdict",
                ])
                let events = try await fixture.store.authoringEvents(taskID: id, after: 0, limit: 1_000)
                let firstRoundText = events.filter { $0.kind == "delta" && (try? JSONValue.parse($0.data))?["round"]?.int64Value == 1 }
                    .compactMap { (try? JSONValue.parse($0.data))?["text"]?.stringValue }.joined()
                #expect(firstRoundText == "I would say it depends.")
                let diagnostics = try #require(events.first { $0.kind == "diagnostics" })
                let reported = try #require(try JSONValue.parse(diagnostics.data)["diagnostics"]?.arrayValue?.first)
                #expect(reported["stage"]?.stringValue == "parse")
                #expect(reported["rendered"]?.stringValue == "1:3: error: unexpected token 'would'\nI would say it depends.\n  ^~~~~",
                        "\(reported.serialized())")
                let verdict = try JSONValue.parse(try #require(events.last).data)
                #expect(verdict["verdict"]?.stringValue == "published" && verdict["version"]?.int64Value == 1)
                #expect(try await fixture.store.predicate("adult_in_france", version: nil)?.source == "age >= 18 && country == 'FR'")
                #expect(llm.requests.count == 2)
                #expect(llm.requests.allSatisfy { $0.body["stream"]?.boolValue == true })
                #expect(llm.requests[1].lastUserMessage.contains("1. [parse] 1:3: error: unexpected token 'would'"))
                let checkpoints = try await fixture.store.authoringCheckpoints(taskID: id)
                #expect(checkpoints.map(\.round) == [1, 2])
                #expect(checkpoints.map(\.expression) == ["I would say it depends.", "age >= 18 && country == 'FR'"])
            }
            llm.release()
        }
    }

    @Test("a lane stopped while the model answers round 2 is resumed by another without asking for round 1 again",
          arguments: TestBackend.allCases)
    func resumeFromCheckpoint(_ backend: TestBackend) async throws {
        let first = ScriptedLLMServer([.streamed(["no expression here"]), .stall(.seconds(120))])
        let second = ScriptedLLMServer([.streamed(Self.good)])
        try await withAgentStore(backend) { fixture in
            let id = try await first.run { url in
                let worker = AgentWorkerFixture(store: fixture.store, llm: url)
                let id = try await createTask(fixture.store, adultInFrance.request)
                #expect(try await eventually(timeout: .seconds(30)) { first.requests.count == 2 }, "round 2 was asked")
                await worker.stop()
                first.release()
                return id
            }
            #expect(try await fixture.store.authoringTask(id: id)?.status == .running)
            try await second.run { url in
                let worker = AgentWorkerFixture(store: fixture.store, llm: url)
                let task = try await finishedTask(fixture.store, id)
                await worker.stop()
                #expect(task?.status == .published)
            }
            #expect(second.requests.count == 1, "the resumed turn asked \(second.requests.count) times")
            // Round 2's question: the system prompt, the task, round 1's answer and the feedback on it.
            let resumed = try #require(second.requests.first)
            #expect(resumed.messages.map(\.role) == ["system", "user", "assistant", "user"])
            #expect(resumed.messages[2].content == "no expression here")
            #expect(try await fixture.store.authoringCheckpoints(taskID: id).map(\.round) == [1, 2])
        }
    }

    @Test("a follow-up message continues the conversation and publishes version 2", arguments: TestBackend.allCases)
    func followUpPublishesVersionTwo(_ backend: TestBackend) async throws {
        let llm = ScriptedLLMServer([.streamed(["```cel\nage >= 18 && country != ''\n```"]), .answer(fenced("age >= 18 && country == 'FR'"))])
        try await withAgentStore(backend) { fixture in
            let adult = AuthoringTaskRequest(name: "adult", intent: "an adult with a country of residence",
                                             declarations: ["age": "int", "country": "string"],
                                             examples: [PredicateTest(input: ["age": 20, "country": "FR"], expect: true),
                                                        PredicateTest(input: ["age": 16, "country": "FR"], expect: false)])
            try await llm.run { url in
                let worker = AgentWorkerFixture(store: fixture.store, llm: url)
                let id = try await createTask(fixture.store, adult)
                #expect(try await finishedTask(fixture.store, id)?.detail == "adult@1")
                let followed = try await fixture.store.appendAuthoringMessage(taskID: id, text: "also require residence in France (FR)", generation: 1)
                #expect(followed?.turn == 2 && followed?.status == .queued)
                let task = try await finishedTask(fixture.store, id, turn: 2)
                await worker.stop()
                #expect(task?.status == .published)
                #expect(task?.detail == "adult@2")
                #expect(try await fixture.store.predicate("adult", version: nil)?.source == "age >= 18 && country == 'FR'")
            }
            #expect(llm.requests.count == 2)
            let followUp = try #require(llm.requests.last)
            #expect(followUp.messages.map(\.role) == ["system", "user", "assistant", "user"])
            #expect(followUp.lastUserMessage.contains("also require residence in France (FR)"))
            #expect(followUp.lastUserMessage.contains("```cel\nage >= 18 && country != ''\n```"))
        }
    }

    @Test("four stalled tasks hold the agent lane, and predicate.authored events still publish at once")
    func stalledTasksDoNotDelayPublishing() async throws {
        let llm = ScriptedLLMServer(Array(repeating: .stall(.seconds(120)), count: 4))
        try await withAgentStore(.sqlite) { fixture in
            try await llm.run { url in
                let worker = AgentWorkerFixture(store: fixture.store, llm: url, concurrency: 4)
                for index in 1...4 {
                    _ = try await createTask(fixture.store, AuthoringTaskRequest(name: "stalled\(index)", intent: "anything", declarations: ["age": "int"]))
                }
                let alone = try await publishLatencies(fixture.store, names: "alone", count: 5)
                for index in 1...4 {
                    _ = try await createTask(fixture.store, AuthoringTaskRequest(name: "stalled\(index)", intent: "anything", declarations: ["age": "int"]))
                }
                #expect(try await eventually(timeout: .seconds(30)) { llm.requests.count == 4 && worker.lane.turnsInFlight == 4 })
                let beside = try await publishLatencies(fixture.store, names: "beside", count: 5)
                #expect(worker.lane.turnsInFlight == 4, "the stalled turns are still running")
                // A figure for the closing note, not an assertion: timing on a shared machine is noise.
                print("predicate.authored submit → published (poll 50 ms), ms: alone \(alone), beside four stalled tasks \(beside)")
                llm.release()
                await worker.stop()
            }
        }
    }

    /// Submits `count` predicates one after another, each waited for until published;
    /// returns the milliseconds each took. Fails the test for one not published in 10 s.
    func publishLatencies(_ store: any Store, names: String, count: Int) async throws -> [Int] {
        var latencies: [Int] = []
        for index in 1...count {
            let started = ContinuousClock.now
            let event = try await store.submit(.predicateAuthored(PredicateDefinition(name: "\(names)\(index)", source: "age >= \(index)",
                                                                                       declarations: ["age": "int"])), generation: 1)
            #expect(try await eventually(timeout: .seconds(10)) {
                if case .published = try await store.status(ofEvent: event) { return true }
                return false
            }, "\(names)\(index) was not published within 10 s")
            latencies.append(Int(((ContinuousClock.now - started).inSeconds * 1000).rounded()))
        }
        return latencies
    }

    @Test("budgets: rounds, tokens and wall time each end the turn as failed, the transcript kept")
    func budgetsEndTheTurn() async throws {
        let llm = ScriptedLLMServer([.answer("no"), .answer("still no"), .answer("no again"), .stall(.seconds(60))])
        try await withAgentStore(.sqlite) { fixture in
            try await llm.run { url in
                let worker = AgentWorkerFixture(store: fixture.store, llm: url, concurrency: 1)
                var rounds = AuthoringTaskRequest(name: "rounds", intent: "an adult", declarations: ["age": "int"])
                rounds.rounds = 2
                let roundsID = try await createTask(fixture.store, rounds)
                let roundsTask = try await finishedTask(fixture.store, roundsID)
                #expect(roundsTask?.status == .failed)
                #expect(roundsTask?.detail == "no acceptable predicate after 2 round(s); the transcript is kept")
                #expect(try await fixture.store.authoringCheckpoints(taskID: roundsID).map(\.answer) == ["no", "still no"])

                var tokens = AuthoringTaskRequest(name: "tokens", intent: "an adult", declarations: ["age": "int"])
                tokens.maxTokens = 100
                let tokensID = try await createTask(fixture.store, tokens)
                let tokensTask = try await finishedTask(fixture.store, tokensID)
                #expect(tokensTask?.status == .failed)
                #expect(tokensTask?.detail?.hasPrefix("the token budget of 100 is used up") == true, "\(tokensTask?.detail ?? "")")
                #expect(try await fixture.store.authoringCheckpoints(taskID: tokensID).count == 1)

                var time = AuthoringTaskRequest(name: "time", intent: "an adult", declarations: ["age": "int"])
                time.maxSeconds = 1
                let timeID = try await createTask(fixture.store, time)
                let timeTask = try await finishedTask(fixture.store, timeID)
                #expect(timeTask?.status == .failed)
                #expect(timeTask?.detail == "the time budget of 1 s ran out during round 1; the transcript is kept")
                llm.release()
                await worker.stop()
                let verdict = try #require(try await fixture.store.authoringEvents(taskID: timeID, after: 0, limit: 100).last)
                #expect(verdict.kind == "verdict")
                #expect(try JSONValue.parse(verdict.data)["verdict"]?.stringValue == "failed")
            }
        }
    }

    @Test("cancelling a running task stops it while the model is answering")
    func cancelStopsARunningTask() async throws {
        let llm = ScriptedLLMServer([.stall(.seconds(60))])
        try await withAgentStore(.sqlite) { fixture in
            try await llm.run { url in
                let worker = AgentWorkerFixture(store: fixture.store, llm: url)
                let id = try await createTask(fixture.store, adultInFrance.request)
                #expect(try await eventually(timeout: .seconds(30)) { llm.requests.count == 1 })
                #expect(try await fixture.store.requestAuthoringCancel(id: id)?.cancelRequested == true)
                let task = try await finishedTask(fixture.store, id, timeout: .seconds(10))
                llm.release()
                await worker.stop()
                #expect(task?.status == .cancelled)
                #expect(task?.detail == "cancelled during round 1")
                #expect(try await eventKinds(fixture.store, id).last == "verdict")
            }
        }
    }

    @Test("a turn whose attempts are all used ends its task as failed, with a verdict")
    func deadTurnFailsItsTask() async throws {
        struct FailingRunner: AuthoringTurnRunner {
            struct Unavailable: Error, CustomStringConvertible { var description: String { "the store is unavailable" } }
            func run(taskID: String, turn: Int) async throws -> HandlerEffect { throw Unavailable() }
        }
        try await withAgentStore(.sqlite) { fixture in
            var logger = Logger(label: "agent-lane-test")
            logger.logLevel = .critical
            let lane = AgentLane(store: fixture.store, generation: 1, adoptAfter: nil, listens: false,
                                 configuration: AgentLaneConfiguration(concurrency: 1, pollInterval: .milliseconds(20), maxAttempts: 2,
                                                                       retryAfter: .milliseconds(20)),
                                 runner: FailingRunner(), logger: logger)
            let running = Task { try await lane.run() }
            let id = try await createTask(fixture.store, adultInFrance.request)
            let task = try await finishedTask(fixture.store, id, timeout: .seconds(30))
            running.cancel()
            _ = await running.result
            #expect(task?.status == .failed)
            #expect(task?.detail == "the turn could not be run: the turn failed 2 times; the last: the store is unavailable")
            let verdict = try #require(try await fixture.store.authoringEvents(taskID: id, after: 0, limit: 10).last)
            #expect(verdict.kind == "verdict")
            #expect(try JSONValue.parse(verdict.data)["verdict"]?.stringValue == "failed")
        }
    }
}
