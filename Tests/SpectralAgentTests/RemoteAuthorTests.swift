import Foundation
import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralStore
import SpectralTestSupport
import Testing

/// `spectral author --server URL` with no model configured locally: the task goes to the
/// server's API and its events are printed as they come. The server's agent is played by
/// the test, writing what the agent would through the store.
// Runs on its own after the suite, as the process tests do (`.ci/run`): its workers, lanes,
// streams and scripted servers poll on timers, and beside the whole suite on two cores they
// pushed timing-bound tests (theirs and others') past their limits in CI.
@Suite("Authoring agent: spectral author --server (the server's agent)", .enabled(if: ProcessInfo.processInfo.environment["SPECTRAL_PROCESS_TESTS"] == "1",
                "runs alone: SPECTRAL_PROCESS_TESTS=1 swift test --filter RemoteAuthorTests"))
struct RemoteAuthorTests {
    static func server(_ fixture: AgentStoreFixture, agent: Bool) -> some ApplicationProtocol {
        var configuration = ServerConfiguration(port: 0, authentication: .off)
        configuration.authoringAgent = agent
        configuration.eventStreamPollInterval = .milliseconds(20)
        return buildApplication(configuration: configuration, store: fixture.store, logger: fixture.logger)
    }

    static func author(_ port: Int, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let binary = try SpectralExecutable.path
        return try await offThePool {
            try ChildProcess.capture(binary, ["author", "--server", "http://127.0.0.1:\(port)"] + arguments,
                                     environment: ["SPECTRAL_LLM_BASE_URL": ""])
        }
    }

    static let flags = ["--name", "adult_in_france", "--intent", "an adult (18 or older) living in France",
                        "--declare", "age=int", "--declare", "country=string",
                        "--example", #"{"age": 20, "country": "FR"} => true"#, "--rounds", "3"]

    @Test("posts the task, prints each round as it comes, then the verdict")
    func followsTheServersAgent() async throws {
        let fixture = try await AgentStoreFixture.make(.sqlite)
        try await Self.server(fixture, agent: true).test(.live) { client in
            let agent = Task { try await Self.playTheAgent(fixture.store) }
            let (status, output) = try await Self.author(try #require(client.port), Self.flags)
            let taskID = try await agent.value
            #expect(status == 0, "\(output)")
            #expect(output.contains("task \(taskID) queued"))
            #expect(output.contains("round 1 of 3"))
            #expect(output.contains("Here it is: ?[31mage >= 18"), "control characters from the model are not passed to the terminal")
            #expect(output.contains("accepted: age >= 18 && country == 'FR'"))
            #expect(output.contains("published: adult_in_france@1"))
            #expect(!output.contains("\u{1B}"))
            let stored = try #require(try await fixture.store.authoringTask(id: taskID))
            #expect(stored.request.contains(#""rounds":3"#))
        }
        await fixture.store.close()
    }

    @Test("a server without a model: exit 78 with its message, nothing stored")
    func serverWithoutAgent() async throws {
        let fixture = try await AgentStoreFixture.make(.sqlite)
        try await Self.server(fixture, agent: false).test(.live) { client in
            let (status, output) = try await Self.author(try #require(client.port), Self.flags)
            #expect(status == 78, "\(output)")
            #expect(output.contains("no model is configured"))
        }
        #expect(try await fixture.store.backlog(generation: 1).pending == 0)
        await fixture.store.close()
    }

    /// Takes the task the command posted and runs its turn as the agent would record it.
    static func playTheAgent(_ store: any Store) async throws -> String {
        var taskID: String?
        for _ in 0..<1000 where taskID == nil {
            if let claim = try await store.claim(generation: 1, adoptingAfter: nil, lease: .seconds(60), maxAttempts: 5,
                                                 topics: .only([OutboxMessage.Topic.authoringRequested])).claim {
                taskID = try JSONValue.parse(claim.event.payload)["task_id"]?.stringValue
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let id = try #require(taskID)
        try await store.setAuthoringStatus(id: id, .running, detail: nil)
        try await store.appendAuthoringEvent(taskID: id, turn: 1, kind: .roundStarted, data: #"{"round":1,"max_rounds":3}"#)
        try await store.appendAuthoringEvent(taskID: id, turn: 1, kind: .delta,
                                             data: JSONValue.object([("round", 1), ("text", "Here it is: \u{1B}[31mage >= 18")]).serialized())
        try await store.appendAuthoringEvent(taskID: id, turn: 1, kind: .accepted, data: #"{"round":1,"expression":"age >= 18 && country == 'FR'"}"#)
        try await store.setAuthoringStatus(id: id, .published, detail: "adult_in_france@1")
        try await store.appendAuthoringEvent(taskID: id, turn: 1, kind: .verdict,
                                             data: AuthoringVerdict(status: .published, detail: "adult_in_france@1", version: 1).eventData)
        return id
    }
}
