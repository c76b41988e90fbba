import ArgumentParser
import SpectralAgent

/// The authoring agent's model: `SPECTRAL_LLM_BASE_URL`, `SPECTRAL_LLM_MODEL` (flags
/// override) and `SPECTRAL_LLM_API_KEY`, which has no flag so that it never shows in a
/// process listing or a shell history.
struct LLMOptions: ParsableArguments {
    @Option(name: .customLong("llm-base-url"), help: "OpenAI-compatible API root, e.g. https://api.openai.com/v1 (SPECTRAL_LLM_BASE_URL).")
    var baseURL: String?
    @Option(name: .customLong("llm-model"), help: "The model (SPECTRAL_LLM_MODEL; default \(LLMConfiguration.defaultModel)).")
    var model: String?
    @Option(name: .customLong("llm-timeout"), help: "Seconds one request to the model may take.")
    var timeoutSeconds: Double = 60
    @Option(name: .customLong("llm-retries"), help: "Retries of a request on 429, 5xx, timeouts and lost connections.")
    var retries: Int = 4

    /// Nil when no base URL is configured: the agent is off.
    var configuration: LLMConfiguration? {
        let settings = Settings.process
        var environment: [String: String] = [:]
        environment["SPECTRAL_LLM_BASE_URL"] = settings.string(.llmBaseURL, flag: baseURL)
        environment["SPECTRAL_LLM_MODEL"] = settings.string(.llmModel, flag: model)
        environment["SPECTRAL_LLM_API_KEY"] = settings.string(.llmAPIKey)
        guard var configuration = LLMConfiguration.fromEnvironment(environment) else { return nil }
        configuration.requestTimeout = .milliseconds(Int64(max(0.01, timeoutSeconds) * 1000))
        configuration.maxRetries = max(0, retries)
        return configuration
    }
}
