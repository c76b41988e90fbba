import Hummingbird
import HummingbirdTesting
import Spectral
@testable import SpectralAgent
import Testing

/// `/health` reports the LLM off, wired or degraded; the model's side is a scripted
/// OpenAI-compatible server on loopback (no model is reachable here).
@Suite("Authoring agent: /health")
struct LLMHealthTests {
    @Test("off when not configured, wired when reachable, degraded when failing; authoring_agent follows")
    func llmWiring() async throws {
        let fixture = try await AgentStoreFixture.make(.sqlite)
        let off = try await health(fixture, llm: nil)
        #expect(off["features"]?["llm"] == "off" && off["features"]?["authoring_agent"] == "off")

        let wired = try await ScriptedLLMServer([]).run { baseURL in
            try await health(fixture, llm: testConfiguration(baseURL))
        }
        #expect(wired["features"]?["llm"] == "wired")
        #expect(wired["llm_error"] == nil)
        #expect(wired["features"]?["authoring_agent"] == "wired" && wired["authoring_agent_error"] == nil)

        let refused = try await ScriptedLLMServer([], modelsStatus: 401).run { baseURL in
            try await health(fixture, llm: testConfiguration(baseURL))
        }
        #expect(refused["features"]?["llm"] == "degraded")
        #expect(refused["llm_error"] == "HTTP 401: the key was refused", "a status and a short reason, not the provider's text")
        #expect(refused["status"] == "ok", "the API still serves decisions without the LLM")
        #expect(refused["features"]?["authoring_agent"] == "degraded")
        #expect(refused["authoring_agent_error"] == "the model is failing: HTTP 401: the key was refused")

        let stopped = try await ScriptedLLMServer([]).run { $0 }
        let unreachable = try await health(fixture, llm: testConfiguration(stopped))
        #expect(unreachable["features"]?["llm"] == "degraded")
        // A closed port refuses at once; on a machine loaded enough, the probe's timeout can
        // come first (seen once in a full run beside three builds: 53 s for this test).
        #expect(unreachable["llm_error"] == "unreachable" || unreachable["llm_error"] == "timed out",
                "\(String(describing: unreachable["llm_error"]))")
        await fixture.store.close()
    }

    /// Review finding: with credentials in `SPECTRAL_LLM_BASE_URL`, the unauthenticated
    /// `/health` showed them, and the provider's error text (which may echo a key) too.
    @Test func healthAndLogsShowNoCredentials() async throws {
        let fixture = try await AgentStoreFixture.make(.sqlite)
        let (answer, configuration) = try await ScriptedLLMServer([], modelsStatus: 401).run { baseURL in
            let withCredentials = testConfiguration(baseURL.replacing("http://", with: "http://operator:sk-in-the-url@"))
            return (try await fixture.application(llm: withCredentials).test(.router) { client in
                try await client.execute(uri: "/health", method: .get) { String(buffer: $0.body) }
            }, withCredentials)
        }
        #expect(answer.contains(#""llm_error":"HTTP 401: the key was refused""#))
        #expect(!answer.contains("sk-in-the-url") && !answer.contains("operator"))
        #expect(!configuration.description.contains("sk-in-the-url"))
        #expect(configuration.description.contains("http://***@127.0.0.1:"))
        await fixture.store.close()
    }

    private func health(_ fixture: AgentStoreFixture, llm: LLMConfiguration?) async throws -> JSONValue {
        try await fixture.application(llm: llm).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { try JSONValue.parse(String(buffer: $0.body)) }
        }
    }
}
