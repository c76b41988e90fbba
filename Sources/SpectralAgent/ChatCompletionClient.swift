#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Logging
import SpectralCatalog
import NIOCore
import NIOHTTP1
import SpectralJSON

/// Asks an OpenAI-compatible server for chat completions (`POST {base}/chat/completions`).
///
/// Each attempt is bounded by `requestTimeout` as a whole (connect, send, wait, read).
/// Throttling (429), server errors (5xx), timeouts and broken connections are retried
/// with exponential backoff and jitter, honouring `Retry-After`; other statuses fail at
/// once, since asking again would get the same answer. Every completion's token usage is
/// logged. The API key goes into the `Authorization` header only: it is in no log line
/// and no error.
public struct ChatCompletionClient: Sendable {
    public let configuration: LLMConfiguration
    let httpClient: HTTPClient
    let logger: Logger

    /// The largest response body read; chat completions are a few kilobytes.
    static let maxResponseBytes = 4 << 20

    public init(configuration: LLMConfiguration, logger: Logger, httpClient: HTTPClient = AgentHTTPClient.shared) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
    }

    public func complete(_ messages: [ChatMessage]) async throws(LLMError) -> ChatCompletion {
        let body = JSONValue.object([
            ("model", .string(configuration.model)),
            ("messages", .array(messages.map(\.jsonValue))),
            ("temperature", JSONNumber(configuration.temperature).map(JSONValue.number) ?? .null),
        ]).serialized()
        let started = ContinuousClock.now
        let (response, attempts) = try await send(.POST, path: "/chat/completions", body: Array(body.utf8),
                                                  timeout: configuration.requestTimeout, retries: configuration.maxRetries)
        let completion: ChatCompletion
        do {
            completion = try ChatCompletion(json: try JSONValue.parse(response.body))
        } catch let error as LLMError {
            throw error
        } catch {
            throw LLMError.malformedResponse("the body is not JSON (\(error))")
        }
        logCompletion(completion, attempts: attempts, since: started, streamed: false)
        return completion
    }

    /// One line per completion: what it cost, how long it took, how many attempts.
    func logCompletion(_ completion: ChatCompletion, attempts: Int, since started: ContinuousClock.Instant, streamed: Bool) {
        logger.info("llm completion", metadata: [
            "model": "\(completion.model.isEmpty ? configuration.model : completion.model)",
            "prompt_tokens": "\(completion.usage.promptTokens)",
            "completion_tokens": "\(completion.usage.completionTokens)",
            "total_tokens": "\(completion.usage.totalTokens)",
            "attempts": "\(attempts)",
            "latency_ms": "\((ContinuousClock.now - started).milliseconds)",
            "finish_reason": "\(completion.finishReason ?? "unknown")",
            "streamed": "\(streamed)",
        ])
    }

    /// `GET {base}/models`, once, without retries: is the server there and does it take
    /// our key? For `/health`.
    public func probe(timeout: Duration) async throws(LLMError) {
        _ = try await send(.GET, path: "/models", body: nil, timeout: timeout, retries: 0)
    }

    // MARK: - Attempts

    struct RawResponse {
        var status: Int
        var body: [UInt8]
    }

    /// One request, retried as the type's comment says; returns the 2xx answer and how
    /// many attempts it took.
    private func send(_ method: HTTPMethod, path: String, body: [UInt8]?, timeout: Duration,
                      retries: Int) async throws(LLMError) -> (RawResponse, Int) {
        let endpoint = configuration.baseURL + path
        return try await retrying(endpoint: endpoint, timeout: timeout, retries: retries) {
            await attemptOnce(method, endpoint: endpoint, body: body, timeout: timeout)
        }
    }

    /// Runs `attempt` (bounded by `timeout`) until it succeeds, fails for good, or `retries`
    /// more attempts have failed; returns its success and how many attempts it took.
    func retrying<Success: Sendable>(endpoint: String, timeout: Duration, retries: Int,
                                     _ attempt: () async -> AttemptOutcome<Success>) async throws(LLMError) -> (Success, Int) {
        // Errors and logs name the endpoint without the credentials a URL may carry.
        let shownEndpoint = RedactedURL(endpoint).description
        let maxAttempts = 1 + max(0, retries)
        var backoff = Backoff(initial: configuration.initialBackoff, maximum: configuration.maxBackoff)
        var attempts = 0
        while true {
            attempts += 1
            let failure: LLMError
            var retryAfter: Duration?
            switch await attempt() {
            case .succeeded(let success):
                return (success, attempts)
            case .answered(let response, let header):
                failure = .http(endpoint: shownEndpoint, status: response.status, message: redacted(Self.errorMessage(response.body)),
                                attempts: attempts)
                guard response.status == 429 || response.status >= 500 else { throw failure }
                retryAfter = header
            case .timedOut:
                failure = .timeout(endpoint: shownEndpoint, after: timeout, attempts: attempts)
            case .failed(let reason):
                failure = .unreachable(endpoint: shownEndpoint, reason: reason, attempts: attempts)
            case .final(let error):
                throw error
            }
            guard attempts < maxAttempts, !Task.isCancelled else { throw failure }
            let delay = backoff.next(retryAfter: retryAfter)
            logger.warning("llm retry", metadata: [
                "endpoint": "\(shownEndpoint)", "attempt": "\(attempts)", "error": "\(failure)",
                "retry_in_ms": "\(delay.milliseconds)",
            ])
            do { try await Task.sleep(for: delay) } catch { throw failure }
        }
    }

    enum AttemptOutcome<Success: Sendable>: Sendable {
        case succeeded(Success)
        /// A status other than 2xx: 429 and 5xx are retried.
        case answered(RawResponse, retryAfter: Duration?)
        case timedOut
        case failed(String)
        /// Not to be retried: part of a streamed answer was already handed on.
        case final(LLMError)
    }

    /// One HTTP exchange, bounded by `timeout` as a whole.
    private func attemptOnce(_ method: HTTPMethod, endpoint: String, body: [UInt8]?, timeout: Duration) async -> AttemptOutcome<RawResponse> {
        await raced(against: timeout) { [httpClient] in
            let response = try await httpClient.execute(Self.request(method, endpoint: endpoint, body: body, apiKey: configuration.apiKey),
                                                        timeout: .nanoseconds(timeout.nanoseconds))
            let bytes = try await response.body.collect(upTo: Self.maxResponseBytes)
            let raw = RawResponse(status: Int(response.status.code), body: Array(buffer: bytes))
            return (200..<300).contains(raw.status) ? .succeeded(raw) : .answered(raw, retryAfter: Self.retryAfter(response.headers))
        }
    }

    static func request(_ method: HTTPMethod, endpoint: String, body: [UInt8]?, apiKey: String,
                        accept: String = "application/json") -> HTTPClientRequest {
        var request = HTTPClientRequest(url: endpoint)
        request.method = method
        request.headers.add(name: "Accept", value: accept)
        if !apiKey.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return request
    }

    static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        headers.first(name: "Retry-After").flatMap(Int.init).map { Duration.seconds($0) }
    }

    /// `exchange`, raced against `timeout`: the loser is cancelled. Connection errors and
    /// the client's own deadlines become outcomes.
    func raced<Success: Sendable>(against timeout: Duration,
                                  _ exchange: @escaping @Sendable () async throws -> AttemptOutcome<Success>) async -> AttemptOutcome<Success> {
        await withTaskGroup(of: AttemptOutcome<Success>?.self) { group in
            group.addTask {
                do {
                    return try await exchange()
                } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                    return .timedOut
                } catch is CancellationError {
                    return nil
                } catch {
                    return .failed(Self.describe(error))
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled ? nil : .timedOut
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .timedOut
        }
    }

    /// Servers sometimes echo the key they refused; an error must never carry it further.
    func redacted(_ message: String) -> String {
        configuration.apiKey.count < 4 ? message : message.replacing(configuration.apiKey, with: "[redacted]")
    }

    /// The `error.message` of an OpenAI-style error body, else its first 200 characters.
    static func errorMessage(_ body: [UInt8]) -> String {
        if let json = try? JSONValue.parse(body), let message = json["error"]?["message"]?.stringValue ?? json["error"]?.stringValue {
            return message
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return text.trimmed
    }

    /// What went wrong, in words: a system error (NIO's `IOError` describes itself as
    /// `connection reset (error set): Connection refused (errno: 111)`) becomes the system's
    /// own message, `connection refused`.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .remoteConnectionClosed { return "the connection was closed" }
        let text = String(describing: error)
        if let marker = text.range(of: "(errno: "), let code = Int32(text[marker.upperBound...].prefix(while: \.isNumber)) {
            return String(cString: strerror(code)).lowercased()
        }
        return text
    }
}

/// Exponential backoff with jitter: each delay is drawn from [d/2, d], d doubling.
struct Backoff {
    let initial: Duration
    let maximum: Duration
    private var current: Duration

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
        self.current = initial
    }

    mutating func next(retryAfter: Duration? = nil) -> Duration {
        defer { current = min(current * 2, maximum) }
        if let retryAfter { return min(retryAfter, maximum) }
        let half = current / 2
        return half + half * Double.random(in: 0...1)
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
