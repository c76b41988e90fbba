import Logging
import Spectral
import SpectralCatalog
@testable import SpectralAgent

/// Client settings that keep the tests quick: short backoffs, a few retries.
func testConfiguration(_ baseURL: String, timeout: Duration = .seconds(10), retries: Int = 3) -> LLMConfiguration {
    LLMConfiguration(baseURL: baseURL, apiKey: testAPIKey, model: "scripted-model", requestTimeout: timeout,
                     maxRetries: retries, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(50))
}

/// A key that must never appear in a log line.
let testAPIKey = "sk-test-SECRET-4f1c9a7e"

func makeAgent(_ baseURL: String, rounds: Int = 5, recorder: LogRecorder = LogRecorder(),
               timeout: Duration = .seconds(10), retries: Int = 3) -> AuthoringAgent {
    let logger = recorder.logger()
    return AuthoringAgent(client: ChatCompletionClient(configuration: testConfiguration(baseURL, timeout: timeout, retries: retries), logger: logger),
                          maxRounds: rounds, logger: logger)
}

func fenced(_ expression: String) -> String { "Here is the predicate:\n\n```cel\n\(expression)\n```\n" }

/// Adults in France: decided by both inputs, with examples on both sides.
let adultInFrance = AuthoringTask(
    name: "adult_in_france",
    intent: "the person is an adult (18 or older) living in France (country code FR)",
    declarations: ["age": "int", "country": "string"],
    examples: [
        PredicateTest(input: ["age": 20, "country": "FR"], expect: true),
        PredicateTest(input: ["age": 16, "country": "FR"], expect: false),
        PredicateTest(input: ["age": 30, "country": "US"], expect: false),
    ])
