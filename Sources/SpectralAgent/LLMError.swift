/// Why the model could not be asked. Every case says what happened in words an operator
/// can act on; none contains the API key.
public enum LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No answer within the request timeout, on every attempt.
    case timeout(endpoint: String, after: Duration, attempts: Int)
    /// The server answered with an error status; retryable ones (429, 5xx) only after
    /// the retries ran out.
    case http(endpoint: String, status: Int, message: String, attempts: Int)
    /// No connection could be made, or it broke, on every attempt.
    case unreachable(endpoint: String, reason: String, attempts: Int)
    /// A 2xx answer that is not a chat completion.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .timeout(let endpoint, let after, let attempts):
            return "the LLM at \(endpoint) did not answer within \(after.formattedSeconds) (\(Self.count(attempts)))"
        case .http(let endpoint, let status, let message, let attempts):
            let detail = message.isEmpty ? "" : ": \(message)"
            return "the LLM at \(endpoint) answered HTTP \(status)\(detail) (\(Self.count(attempts)))"
        case .unreachable(let endpoint, let reason, let attempts):
            return "the LLM at \(endpoint) is unreachable: \(reason) (\(Self.count(attempts)))"
        case .malformedResponse(let reason):
            return "the LLM's answer is not a chat completion: \(reason)"
        }
    }

    /// A few words for `/health`, which anyone may read: no endpoint, and nothing the
    /// provider said (its error text may echo the key it refused).
    public var shortReason: String {
        switch self {
        case .timeout: return "timed out"
        case .http(_, let status, _, _) where status == 401 || status == 403: return "HTTP \(status): the key was refused"
        case .http(_, let status, _, _): return "HTTP \(status)"
        case .unreachable: return "unreachable"
        case .malformedResponse: return "not an OpenAI-compatible answer"
        }
    }

    private static func count(_ attempts: Int) -> String { attempts == 1 ? "1 attempt" : "\(attempts) attempts" }
}

extension Duration {
    /// `0.25 s`, `60 s`: for messages.
    var formattedSeconds: String {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(Double(milliseconds) / 1000) s"
    }
}
