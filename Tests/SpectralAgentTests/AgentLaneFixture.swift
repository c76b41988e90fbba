import Foundation
import Logging
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import SpectralWorker
@testable import SpectralAgent

/// A worker process's services in one test: the publishing worker (every topic but
/// authoring turns) and the agent lane asking a scripted model, on one store, until
/// `stop()`. The lane's lease is short, so a stopped lane's turn is resumed quickly.
final class AgentWorkerFixture: Sendable {
    let lane: AgentLane
    private let task: Task<Void, any Error>

    init(store: any Store, llm: String, concurrency: Int = 2, lease: Duration = .seconds(5)) {
        var logger = Logger(label: "agent-lane-test")
        logger.logLevel = .error
        let worker = OutboxWorker(
            store: store,
            configuration: WorkerConfiguration(generation: 1, adoptAfter: nil, pollInterval: .milliseconds(50), listens: false,
                                               retryBase: .milliseconds(10), retryCap: .milliseconds(40),
                                               topics: .except([OutboxMessage.Topic.authoringRequested])),
            handlers: [PredicateAuthoredHandler()], logger: logger)
        let runner = AgentTurnRunner(store: store, client: ChatCompletionClient(configuration: testConfiguration(llm), logger: logger),
                                     logger: logger, cancelCheckInterval: .milliseconds(50))
        let lane = AgentLane(store: store, generation: 1, adoptAfter: nil, listens: false,
                             configuration: AgentLaneConfiguration(concurrency: concurrency, lease: lease, renewEvery: lease / 4,
                                                                   pollInterval: .milliseconds(50), retryAfter: .milliseconds(50)),
                             runner: runner, logger: logger)
        self.lane = lane
        task = Task {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await worker.run() }
                group.addTask { try await lane.run() }
            }
        }
    }

    /// Stops both services as a cancelled process would, and waits for them.
    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// Creates an authoring task as `POST /v1/authoring/tasks` does; returns its id.
func createTask(_ store: any Store, _ request: AuthoringTaskRequest) async throws -> String {
    let id = UUID().uuidString.lowercased()
    _ = try await store.createAuthoringTask(id: id, name: request.name, request: request.jsonValue.serialized(), owner: "tests", generation: 1)
    return id
}

/// Waits until the task's turn has ended (or `timeout`); returns the task.
func finishedTask(_ store: any Store, _ id: String, turn: Int = 1, timeout: Duration = .seconds(60)) async throws -> AuthoringTaskRecord? {
    var task: AuthoringTaskRecord?
    _ = try await eventually(timeout: timeout, interval: .milliseconds(50)) {
        task = try await store.authoringTask(id: id)
        return task.map { $0.turn == turn && $0.status.isFinished } ?? false
    }
    return task
}

/// The task's events, consecutive deltas of a round merged into one (how many the relay
/// writes depends on timing).
func eventKinds(_ store: any Store, _ id: String) async throws -> [String] {
    var kinds: [String] = []
    for event in try await store.authoringEvents(taskID: id, after: 0, limit: 1_000) where !(event.kind == "delta" && kinds.last == "delta") {
        kinds.append(event.kind)
    }
    return kinds
}

extension AuthoringTask {
    var request: AuthoringTaskRequest {
        AuthoringTaskRequest(name: name, intent: intent, declarations: declarations, examples: examples, description: description)
    }
}

/// A fresh migrated store for `body`, closed after it however it ends: the PostgreSQL
/// test server's connections are shared by every test running at once.
func withAgentStore<T>(_ backend: TestBackend, _ body: (AgentStoreFixture) async throws -> T) async throws -> T {
    let fixture = try await AgentStoreFixture.make(backend)
    do {
        let result = try await body(fixture)
        await fixture.store.close()
        return result
    } catch {
        await fixture.store.close()
        throw error
    }
}
