import SpectralCatalog

/// Where the authoring agent's model lives and how patiently it is asked: any
/// OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama, llama.cpp, …).
///
/// The API key is a secret: it is sent in the `Authorization` header and nowhere else.
/// `description` redacts it, so a configuration can be logged or printed safely.
public struct LLMConfiguration: Sendable, CustomStringConvertible {
    /// The API root, e.g. `https://api.openai.com/v1`; `/chat/completions` and `/models`
    /// are appended. `SPECTRAL_LLM_BASE_URL`.
    public var baseURL: String
    /// `SPECTRAL_LLM_API_KEY`; empty for local servers that need none.
    public var apiKey: String
    /// `SPECTRAL_LLM_MODEL`.
    public var model: String
    /// How long one HTTP attempt may take, connection included.
    public var requestTimeout: Duration
    /// Attempts after the first for a 429, a 5xx, a timeout or a lost connection.
    public var maxRetries: Int
    /// The first retry waits this long; each later one twice as long, up to `maxBackoff`.
    /// A `Retry-After` header, when present, is honoured up to `maxBackoff`.
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// Sampling temperature: low, predicates are code.
    public var temperature: Double

    public static let defaultModel = "gpt-4o-mini"

    public init(baseURL: String, apiKey: String = "", model: String = LLMConfiguration.defaultModel,
                requestTimeout: Duration = .seconds(60), maxRetries: Int = 4,
                initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(20),
                temperature: Double = 0.1) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.model = model
        self.requestTimeout = requestTimeout
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.temperature = temperature
    }

    /// The configuration the environment describes, or nil when `SPECTRAL_LLM_BASE_URL`
    /// is unset or empty (the agent is then off).
    public static func fromEnvironment(_ environment: [String: String]) -> LLMConfiguration? {
        guard let baseURL = environment["SPECTRAL_LLM_BASE_URL"], !baseURL.isEmpty else { return nil }
        let model = environment["SPECTRAL_LLM_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultModel
        return LLMConfiguration(baseURL: baseURL, apiKey: environment["SPECTRAL_LLM_API_KEY"] ?? "", model: model)
    }

    public var description: String {
        "\(model) at \(RedactedURL(baseURL)) (key \(apiKey.isEmpty ? "none" : "set, redacted"))"
    }
}
