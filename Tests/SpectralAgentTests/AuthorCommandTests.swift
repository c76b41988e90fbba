import Foundation
import SpectralTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `spectral author` as a process: the model is the scripted OpenAI-compatible server on
/// loopback (no model is reachable here); the store is a real SQLite file and the worker a
/// real `spectral work` process.
@Suite("Authoring agent: spectral author")
struct AuthorCommandTests {
    static var binary: String {
        get throws { try SpectralExecutable.path }
    }

    static let task = #"""
        {"name": "adult_in_france", "intent": "an adult (18 or older) living in France",
         "declarations": {"age": "int", "country": "string"},
         "examples": [{"input": {"age": 20, "country": "FR"}, "expect": true},
                      {"input": {"age": 16, "country": "FR"}, "expect": false},
                      {"input": {"age": 30, "country": "US"}, "expect": false}]}
        """#

    private func author(_ llm: ScriptedLLMServer, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await llm.run { baseURL in
            try await offThePool {
                try ChildProcess.capture(Self.binary, ["author"] + arguments,
                                         environment: ["SPECTRAL_LLM_BASE_URL": baseURL, "SPECTRAL_LLM_API_KEY": testAPIKey])
            }
        }
    }

    private func taskFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("task-\(UUID().uuidString).json").path
        try Self.task.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("repairs, submits to the outbox, waits for the worker and prints the verdict")
    func authorsAndPublishes() async throws {
        let url = try await offThePool { try TestBackend.sqlite.freshDatabaseURL() }
        let worker = try ChildProcess.spawn(Self.binary, ["work", "--database-url", url, "--poll-interval", "50"])
        defer { worker.killIfRunning() }
        let llm = ScriptedLLMServer([.answer(fenced("age >= 18 &&")), .answer(fenced("age >= 18 && country == 'FR'"))])
        let file = try taskFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (status, output) = try await author(llm, ["--task", file, "--database-url", url, "--wait", "30"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("published adult_in_france@1"))
        #expect(output.contains("authored in 2 round(s)"))
        #expect(output.contains("total_tokens="))
        #expect(!output.contains(testAPIKey))
        worker.send(SIGTERM)
        #expect(worker.wait() == 0)
    }

    @Test("a model that never succeeds: exit 1 and every diagnostic of every round")
    func exhaustedRounds() async throws {
        let url = try await offThePool { try TestBackend.sqlite.freshDatabaseURL() }
        let llm = ScriptedLLMServer([.answer(fenced("age >=")), .answer(fenced("age >= 18"))])
        let (status, output) = try await author(llm, [
            "--name", "adult_in_france", "--intent", "adult in France", "--declare", "age=int", "--declare", "country=string",
            "--example", #"{"age": 20, "country": "FR"} => true"#, "--example", #"{"age": 30, "country": "US"} => false"#,
            "--rounds", "2", "--database-url", url,
        ])
        #expect(status == 1)
        #expect(output.contains("no acceptable predicate after 2 round(s)"))
        #expect(output.contains("round 1: `age >=`") && output.contains("[parse]"))
        #expect(output.contains("round 2: `age >= 18`") && output.contains("test 2: expected false, got true"))
        #expect(llm.requests.count == 2)
    }

    @Test("a malformed example is refused before any model is asked")
    func malformedExample() async throws {
        let llm = ScriptedLLMServer([])
        let (status, output) = try await author(llm, ["--name", "a", "--intent", "b", "--example", #"{"age": 20}"#, "--no-submit"])
        #expect(status != 0)
        #expect(output.contains("--example expects INPUT => DECISION"))
        #expect(llm.requests.isEmpty)
    }
}
