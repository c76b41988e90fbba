import AsyncHTTPClient
import NIOCore

/// The HTTP client of the agent's calls (the model, the Spectral intake), shared for the
/// life of the process like `HTTPClient.shared`, but configured for them:
/// - no retries inside the connection pool: the callers retry with backoff themselves, and
///   a refused connection must surface at once, not after the whole timeout;
/// - no redirects: a redirect could carry the API key to another host.
public enum AgentHTTPClient {
    public static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
}
