import Hummingbird
import HummingbirdTesting
import Spectral
@testable import SpectralAgent
import Testing

/// `/health` reports the LLM off, wired or degraded; the model's side is a scripted
/// OpenAI-compatible server on loopback (no model is reachable here).
@Suite("Authoring agent: /health")
struct LLMHealthTests {
    @Test("off when not configured, wired when reachable, degraded when failing")
    func llmWiring() async throws {
        let fixture = try await AgentStoreFixture.make(.sqlite)
        #expect(try await health(fixture, llm: nil)["features"]?["llm"] == "off")

        let wired = try await ScriptedLLMServer([]).run { baseURL in
            try await health(fixture, llm: testConfiguration(baseURL))
        }
        #expect(wired["features"]?["llm"] == "wired")
        #expect(wired["llm_error"] == nil)

        let refused = try await ScriptedLLMServer([], modelsStatus: 401).run { baseURL in
            try await health(fixture, llm: testConfiguration(baseURL))
        }
        #expect(refused["features"]?["llm"] == "degraded")
        #expect(refused["llm_error"]?.stringValue?.contains("HTTP 401: invalid api key") == true)
        #expect(refused["status"] == "ok", "the API still serves decisions without the LLM")

        let stopped = try await ScriptedLLMServer([]).run { $0 }
        let unreachable = try await health(fixture, llm: testConfiguration(stopped))
        #expect(unreachable["features"]?["llm"] == "degraded")
        #expect(unreachable["llm_error"]?.stringValue?.contains("unreachable") == true)
        await fixture.store.close()
    }

    private func health(_ fixture: AgentStoreFixture, llm: LLMConfiguration?) async throws -> JSONValue {
        try await fixture.application(llm: llm).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { try JSONValue.parse(String(buffer: $0.body)) }
        }
    }
}
