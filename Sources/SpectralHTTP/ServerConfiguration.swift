import Foundation
import Spectral

/// What `buildApplication` needs besides the store. Defaults suit production; the
/// environment variables are read by `spectral serve`.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// `SPECTRAL_PORT`.
    public var port: Int
    /// `SPECTRAL_GENERATION`: stamped on authoring events the intake writes.
    public var generation: Int64
    /// Largest request body accepted; larger ones get 413.
    public var maxBodyBytes: Int
    /// How much of an oversized body is read and discarded so that a client which sends
    /// everything before reading still gets its 413; past it the connection is closed.
    public var bodyDrainAllowance = 8 << 20
    /// The program cache's budget, in estimated resident bytes (`Program.residentBytes`).
    public var programCacheBytes = 256 << 20
    /// A connection with no request in progress is closed after this long, and so is one
    /// whose request head has not arrived by then: 500 slowloris connections, one byte
    /// every few seconds, otherwise stay open for good.
    public var idleTimeout: Duration = .seconds(30)
    /// A request body must arrive within this long of its head, else the connection is
    /// closed: a body trickled a byte at a time would otherwise hold its handler forever.
    public var bodyReadTimeout: Duration = .seconds(30)
    /// Deepest JSON nesting accepted in a body; deeper gets 400.
    public var maxJSONDepth: Int
    /// Most inputs in one batch decide.
    public var maxBatchSize: Int
    /// Fuel and memory per evaluation.
    public var limits: Limits
    /// How often active versions are re-read when no notification arrives.
    public var refreshInterval: Duration
    /// The build's version, reported by /health.
    public var version: String
    /// API keys required (the default), or off: the embedded demo mode.
    public var authentication: Authenticator.Mode
    /// Adds `POST /bench/baseline` (Benchmarks/http-load.sh): decodes a decide body, answers a
    /// constant: the ceiling the decide route is measured against.
    public var benchmarkBaseline = false
    /// Bearer JWTs are also accepted when set (`--jwks FILE`); each subject gets `jwtRatePerSecond`.
    public var jwt: JWTVerifier?
    public var jwtRatePerSecond: Double = 1000
    /// How long a looked-up key is trusted before it is read again (revocation delay).
    public var keyCacheLifetime: Duration = .seconds(10)
    /// Predicate validations (intake, `/v1/validate`) run at once; more wait, up to 16.
    public var validationSlots = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
    /// Bounds on failed authentications and key lookups (unauthenticated traffic).
    public var authenticationLimits = Authenticator.Limits()
    /// Every decision is written to the decision log, off the response path, when set;
    /// nil (the default until the log's cost is measured under load): none is.
    public var decisionLog: DecisionLogSettings?
    /// Whether a worker with a model runs authoring tasks (`spectral serve`/`run` set it when
    /// an LLM is configured). Off, `POST /v1/authoring/tasks` and follow-ups answer 503 at
    /// once rather than queue work nothing will ever pick up.
    public var authoringAgent = false
    /// Authoring event streams (`GET /v1/authoring/tasks/{id}/events`) open at once; more
    /// get 503. Each holds a connection and polls the store, so idle ones are bounded.
    public var maxEventStreams = 64
    /// An event stream ends after this long even if its task has not; the client resumes
    /// with `Last-Event-ID`.
    public var eventStreamLifetime: Duration = .seconds(600)
    /// How often a caught-up event stream asks the store for more.
    public var eventStreamPollInterval: Duration = .milliseconds(200)
    /// An idle event stream sends a `: keep-alive` comment this often, so proxies and
    /// clients do not time it out (and a closed connection is noticed).
    public var eventStreamKeepAlive: Duration = .seconds(15)

    public init(host: String = "127.0.0.1", port: Int = 8080, generation: Int64 = 1, maxBodyBytes: Int = 1 << 20,
                maxJSONDepth: Int = 64, maxBatchSize: Int = 1000, limits: Limits = Limits(),
                refreshInterval: Duration = .seconds(5), version: String = SpectralVersion.current,
                authentication: Authenticator.Mode = .apiKeys) {
        self.host = host
        self.port = port
        self.generation = generation
        self.maxBodyBytes = maxBodyBytes
        self.maxJSONDepth = maxJSONDepth
        self.maxBatchSize = maxBatchSize
        self.limits = limits
        self.refreshInterval = refreshInterval
        self.version = version
        self.authentication = authentication
    }
}

/// The release version reported by `/health` and `spectral --version`.
public enum SpectralVersion {
    public static let current = "0.5.0"
}
