import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Spectral
@testable import SpectralAgent
import SpectralCatalog
import SpectralHTTP
import SpectralStore
import SpectralTestSupport
import SpectralWorker
import Testing

/// The agent's loop against a scripted OpenAI-compatible server on loopback (no model is
/// reachable here, so the model's answers are scripted; the HTTP, the checks, the
/// submission, the worker and the decide path are all real).
@Suite("Authoring agent: the repair loop")
struct RepairLoopTests {
    @Test("an answer that does not parse, then one failing an example, then a correct one: published and decidable")
    func repairedThenPublished() async throws {
        let llm = ScriptedLLMServer([
            .answer(fenced("age >= 18 &&")),
            .answer(fenced("age >= 18")),
            .answer(fenced("age >= 18 && country == 'FR'")),
        ])
        let recorder = LogRecorder()
        let authored = try await llm.run { baseURL in
            try await makeAgent(baseURL, recorder: recorder).author(adultInFrance)
        }
        #expect(authored.source == "age >= 18 && country == 'FR'")
        #expect(authored.rounds.map(\.diagnostics.isEmpty) == [false, false, true])
        #expect(authored.rounds[0].diagnostics.map(\.stage) == ["parse"])
        #expect(authored.rounds[1].diagnostics.map(\.stage) == ["test"])

        // What the model was told: the grammar, the declarations and examples, then each
        // round's diagnostics exactly as Spectral rendered them.
        let requests = llm.requests
        #expect(requests.count == 3)
        let system = try #require(requests.first?.messages.first)
        #expect(system.role == "system")
        #expect(system.content.contains(EmbeddedGrammar.ebnf))
        #expect(system.content.contains("string.startsWith(string) -> bool"))
        #expect(requests[0].lastUserMessage.contains("- `age`: int"))
        #expect(requests[0].lastUserMessage.contains(#"3. {"age":30,"country":"US"} → false"#))
        for diagnostic in authored.rounds[0].diagnostics {
            for line in diagnostic.description.split(separator: "\n") {
                #expect(requests[1].lastUserMessage.contains(line), "fed back: \(line)")
            }
        }
        #expect(requests[2].lastUserMessage.contains("test 3: expected false, got true"))
        #expect(requests[2].messages.count == 6, "system, task, and an answer plus feedback per failed round")
        #expect(requests.allSatisfy { $0.authorization == "Bearer \(testAPIKey)" })

        // Token usage is logged; the key never is.
        let lines = recorder.all
        #expect(lines.filter { $0.contains("llm completion") && $0.contains("total_tokens=") }.count == 3)
        #expect(!lines.contains { $0.contains(testAPIKey) })

        // Submitted over HTTP with the examples as tests, published by the worker, decidable.
        let fixture = try await AgentStoreFixture.make(.sqlite)
        let worker = OutboxWorker(store: fixture.store, configuration: WorkerConfiguration(pollInterval: .milliseconds(50)),
                                  handlers: [PredicateAuthoredHandler()], logger: fixture.logger)
        let running = Task { try await worker.run() }
        try await fixture.application().test(.live) { client in
            let submitter = HTTPSubmitter(baseURL: "http://127.0.0.1:\(client.port!)", apiKey: nil)
            let id = try await submitter.submit(adultInFrance.request(source: authored.source, author: "agent:test"))
            let verdict = try await submitter.waitForVerdict(ofEvent: id, timeout: .seconds(10), pollInterval: .milliseconds(20))
            #expect(verdict == .published(name: "adult_in_france", version: 1))
            for (input, decision) in [(#"{"age": 40, "country": "FR"}"#, "true"), (#"{"age": 12, "country": "FR"}"#, "false")] {
                let response = try await client.execute(
                    uri: "/v1/decide", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"predicate": "adult_in_france", "input": \#(input)}"#)) { String(buffer: $0.body) }
                #expect(try JSONValue.parse(response)["decision"]?.boolValue == (decision == "true"), "\(response)")
            }
        }
        let stored = try await fixture.store.versions(of: "adult_in_france")
        #expect(stored.count == 1)
        worker.requestShutdown()
        try await running.value
        await fixture.store.close()
    }

    @Test("a model that never succeeds: a clear failure after N rounds listing every diagnostic")
    func neverSucceeds() async throws {
        let llm = ScriptedLLMServer([
            .answer("I am not able to write that."),
            .answer(fenced("age > ")),
            .answer(fenced("age + country")),
        ])
        let failure = try await llm.run { baseURL in
            await #expect(throws: AuthoringFailure.self) { try await makeAgent(baseURL, rounds: 3).author(adultInFrance) }
        }
        guard case .exhausted(let rounds) = failure else {
            Issue.record("expected exhausted rounds, got \(String(describing: failure))")
            return
        }
        #expect(rounds.count == 3)
        #expect(llm.requests.count == 3, "no fourth question after the last round")
        #expect(rounds.allSatisfy { !$0.diagnostics.isEmpty })
        #expect(rounds[2].diagnostics.map(\.stage) == ["check"])
        let text = String(describing: failure!)
        #expect(text.hasPrefix("no acceptable predicate after 3 round(s)"))
        for round in rounds {
            #expect(text.contains("round \(round.number): "))
            for diagnostic in round.diagnostics { #expect(text.contains(diagnostic.message), "\(diagnostic.message)") }
        }
    }

    @Test("a constant predicate is flagged and repaired")
    func constantFlaggedThenRepaired() async throws {
        // Every example expects true, so `true` passes them all: only the degeneracy check
        // can tell it is wrong. The second answer reads both inputs but is still constant.
        let task = AuthoringTask(
            name: "payable", intent: "the amount is positive and the country is not under sanctions (KP, IR)",
            declarations: ["amount": "double", "country": "string"],
            examples: [PredicateTest(input: ["amount": 10.5, "country": "FR"], expect: true),
                       PredicateTest(input: ["amount": 99.0, "country": "US"], expect: true)])
        let llm = ScriptedLLMServer([
            .answer(fenced("true")),
            .answer(fenced("amount == amount || country == 'KP'")),
            .answer(fenced("amount > 0.0 && !(country in ['KP', 'IR'])")),
        ])
        let authored = try await llm.run { baseURL in try await makeAgent(baseURL).author(task) }
        #expect(authored.rounds.count == 3)
        let first = authored.rounds[0].diagnostics.map(\.message)
        #expect(first.contains { $0.contains("never reads the declared input `amount`") })
        #expect(first.contains { $0.contains("never reads the declared input `country`") })
        #expect(first.contains { $0.hasPrefix("the expression is constant: it decides true for all") })
        let second = authored.rounds[1].diagnostics
        #expect(second.count == 1 && second[0].message.hasPrefix("the expression is constant"), "\(second)")
        #expect(llm.requests[1].lastUserMessage.contains("the expression is constant"))
        #expect(authored.source == "amount > 0.0 && !(country in ['KP', 'IR'])")
    }
}

/// A migrated SQLite or PostgreSQL store behind the HTTP front, auth off.
struct AgentStoreFixture {
    let store: any Store
    let logger: Logger

    static func make(_ backend: TestBackend) async throws -> AgentStoreFixture {
        var logger = Logger(label: "agent-http-test")
        logger.logLevel = .error
        let url = try await offThePool { try backend.freshDatabaseURL() }
        let store = try await StoreLocation(url: url).openRunning(logger: logger)
        _ = try await store.migrate()
        return AgentStoreFixture(store: store, logger: logger)
    }

    func application(llm: LLMConfiguration? = nil) -> some ApplicationProtocol {
        let configuration = ServerConfiguration(port: 0, authentication: .off)
        let model = LLMHealthMonitor(configuration: llm, logger: logger)
        return buildApplication(configuration: configuration, store: store,
                                probes: [model, AuthoringAgentProbe(model: model, configured: llm != nil)], logger: logger)
    }
}

extension StoreLocation {
    /// Opens the store and runs it in a task of its own until `close()` ends it: for tests
    /// that hold several stores, or make one in a fixture and close it at the end, where a
    /// scope (`withStore`, `whileRunning`) does not fit.
    func openRunning(logger: Logger) async throws -> any Store {
        let store = try await open(logger: logger)
        Task { try? await store.run() }
        return store
    }
}
