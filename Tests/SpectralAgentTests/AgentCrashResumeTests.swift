import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SpectralJSON
import SpectralTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `spectral run` with a model configured (the scripted OpenAI-compatible server: no model
/// is reachable here), its worker SIGKILLed while the model answers round 2 of a task.
/// The supervisor restarts the worker; once the dead worker's lease runs out, the new one
/// resumes the task at round 2. The scripted server counts: round 1 is asked once.
///
/// A whole `spectral run` with a model beside the rest of the suite starved it at start-up
/// (PostgreSQL calls and wake-ups timing out across the suite), so it runs on its own, after
/// the suite, as the decision log's process tests do: `SPECTRAL_PROCESS_TESTS=1 swift test
/// --filter AgentCrashResumeTests` (`.ci/run` does); in a plain `swift test` it is skipped.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SPECTRAL_PROCESS_TESTS"] == "1",
                "runs alone: SPECTRAL_PROCESS_TESTS=1 swift test --filter AgentCrashResumeTests"))
struct AgentCrashResumeTests {
    @Test func aWorkerKilledDuringRoundTwoResumesWithoutAskingRoundOneAgain() async throws {
        let llm = ScriptedLLMServer([.streamed(["no expression in this answer"]), .stall(.seconds(120)),
                                     .streamed(["```cel\nage >= 18 && ", "country == 'FR'\n```"])])
        let url = try await offThePool { try TestBackend.sqlite.freshDatabaseURL() }
        let port = Int.random(in: 20_000...30_000)
        let logPath = NSTemporaryDirectory() + "agent-crash-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        try await llm.run { llmURL in
            let supervisor = try ChildProcess.spawn(try SpectralExecutable.path, ["run", "--demo", "--port", String(port), "--database-url", url],
                                                    environment: ["SPECTRAL_LLM_BASE_URL": llmURL, "SPECTRAL_LLM_API_KEY": testAPIKey,
                                                                  "SPECTRAL_LLM_MODEL": "scripted-model", "SPECTRAL_AGENT_LEASE": "2"],
                                                    outputPath: logPath)
            defer { supervisor.killIfRunning() }
            let base = "http://127.0.0.1:\(port)"
            #expect(try await eventually(timeout: .seconds(30), interval: .milliseconds(100)) {
                (try? await httpRequest("GET", "\(base)/health").0) == 200
            })
            let (status, body) = try await httpRequest("POST", "\(base)/v1/authoring/tasks", """
                {"name": "adult_in_france", "intent": "an adult (18 or older) living in France (FR)",
                 "declarations": {"age": "int", "country": "string"},
                 "examples": [{"input": {"age": 20, "country": "FR"}, "expect": true}, {"input": {"age": 16, "country": "FR"}, "expect": false}]}
                """)
            #expect(status == 202, "\(body)")
            let taskID = try #require(try JSONValue.parse(body)["task_id"]?.stringValue)
            #expect(try await eventually(timeout: .seconds(30)) { llm.requests.count == 2 }, "round 2 was asked")

            let log = try String(contentsOfFile: logPath, encoding: .utf8)
            let workerPID = try #require(log.split(separator: "\n").filter { $0.contains("child=work") }
                .compactMap { line in line.range(of: "pid=").map { Int32(line[$0.upperBound...].prefix { $0.isNumber }) } }.last ?? nil)
            #expect(kill(workerPID, SIGKILL) == 0)
            // Its stalled request has nobody to answer now; released, so the server can stop.
            llm.release()

            var summary = ""
            #expect(try await eventually(timeout: .seconds(60), interval: .milliseconds(200)) {
                summary = (try? await httpRequest("GET", "\(base)/v1/authoring/tasks/\(taskID)").1) ?? ""
                return summary.contains(#""status":"published""#)
            }, "the task did not finish after the restart: \(summary)")
            supervisor.send(SIGTERM)
            // Waiting for a process blocks its thread: not one of the few the suite's tasks share.
            #expect(try await offThePool { supervisor.wait() } == 0)
        }
        let requests = llm.requests
        #expect(requests.count == 3, "the model was asked \(requests.count) times")
        // Round 1's question (system prompt and task) was asked once; the last request is round 2 again,
        // built from round 1's checkpoint.
        #expect(requests.filter { $0.messages.count == 2 }.count == 1)
        #expect(requests.last?.messages.map(\.role) == ["system", "user", "assistant", "user"])
        #expect(requests.last?.messages[2].content == "no expression in this answer")
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        #expect(log.contains("child exited; restarting"))
        #expect(!log.contains(testAPIKey), "the model's API key was logged")
    }
}
