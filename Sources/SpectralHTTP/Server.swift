import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import Spectral
import SpectralCatalog

/// What the API needs of the store: predicates, the outbox intake, keys, the decision log,
/// authoring tasks, and the notifications that keep the program cache fresh.
public typealias APIStore = PredicateRepository & OutboxRepository & KeyRepository & DecisionLogRepository & AuthoringTaskRepository
    & NotificationSource

/// Everything the routes share.
struct Server: Sendable {
    let store: any APIStore
    let configuration: ServerConfiguration
    let cache: ProgramCache
    /// Programs compiled to explain decisions, made on the first explanation of a version.
    let explainers: ExplainerCache
    let metrics: ServerMetrics
    let auth: Authenticator
    let lane = EvaluationLane()
    /// Every decision's id, this process's ids in the order they were made.
    let decisionIDs = DecisionIDGenerator()
    /// Shadow runs, and the decisions waiting to be re-run on their versions.
    let shadows = ShadowRegistry()
    let shadowQueue = BoundedQueue<ShadowJob>(capacity: 1_000)
    /// Decisions on their way to the log; nil when the log is off.
    let decisionLog: DecisionLogQueue?
    /// The server's share of decisions logged, read on the decide path (a `let`, no lock).
    let logSample: LogSampleRate
    /// Features whose wiring `/health` reports besides the store (the LLM).
    let probes: [any FeatureProbe]
    /// Validations at once (intake and `/v1/validate`).
    let validations: ValidationGate
    /// Authoring event streams open at once (`configuration.maxEventStreams`).
    let eventStreams: EventStreamSlots
    /// The bodies being read, closed past `configuration.bodyReadTimeout`.
    let bodyDeadlines: BodyDeadlines
    let logger: Logger

    /// The checks the intake and `validate` run: the worker's, with this server's limits.
    var validator: PredicateValidator { PredicateValidator(limits: configuration.limits) }

    var jsonLimits: JSONLimits { JSONLimits(maxDepth: configuration.maxJSONDepth, maxBytes: configuration.maxBodyBytes) }

    /// The body's bytes. `AdmissionMiddleware` has already read it (413 past the limit).
    func body(of request: Request) async throws -> [UInt8] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(configuration.maxBodyBytes)
        }
        return Array(buffer.readableBytesView)
    }

    /// The middleware a route group's requests pass: `scope` required (nil: none), body read.
    func admitting(_ scope: Scope?) -> AdmissionMiddleware {
        AdmissionMiddleware(authenticator: auth, scopes: scope.map { [$0] } ?? [], body: bodyReader)
    }

    /// The same for a route that any of `scopes` may use (`admin` implies each).
    func admitting(anyOf scopes: [Scope]) -> AdmissionMiddleware {
        precondition(!scopes.isEmpty, "a route open to all is admitting(nil)")
        return AdmissionMiddleware(authenticator: auth, scopes: scopes, body: bodyReader)
    }

    var bodyReader: BodyReader { BodyReader(limit: configuration.maxBodyBytes, drainAllowance: configuration.bodyDrainAllowance, deadlines: bodyDeadlines) }
}

/// Builds the application: routes, error mapping, and the background refresh of the
/// program cache. Tests drive the result without sockets (HummingbirdTesting). `/metrics`
/// emits `metrics`, a registry of this application's own unless one is passed in.
public func buildApplication(configuration: ServerConfiguration, store: any APIStore, probes: [any FeatureProbe] = [],
                             metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
                             logger: Logger) -> some ApplicationProtocol {
    let (router, server, _) = buildRouter(configuration: configuration, store: store, probes: probes, metrics: metrics, logger: logger)
    var services: [any Service] = [
        CacheRefresher(cache: server.cache, interval: configuration.refreshInterval),
        BodyDeadlineSweeper(deadlines: server.bodyDeadlines),
        ShadowRunner(queue: server.shadowQueue, registry: server.shadows, cache: server.cache, lane: server.lane,
                     metrics: server.metrics, logger: logger, decisionLog: server.decisionLog, decisionIDs: server.decisionIDs,
                     generation: configuration.generation),
    ]
    if let queue = server.decisionLog, let settings = configuration.decisionLog {
        services.append(DecisionLogWriter(queue: queue, sinks: settings.sinks(store: store), batchSize: settings.batchSize,
                                          interval: settings.interval, metrics: server.metrics, logger: logger))
    }
    return Application(
        router: router,
        server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: TimeAmount(configuration.idleTimeout))),
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "spectral"),
        services: services,
        logger: logger)
}

/// Every route the application serves, `(path, method)` as OpenAPI writes them
/// (`/v1/predicates/{name}`, `post`): what the OpenAPI document is checked against.
public func servedRoutes(configuration: ServerConfiguration, store: any APIStore, logger: Logger) -> [(path: String, method: String)] {
    buildRouter(configuration: configuration, store: store, probes: [], metrics: PrometheusCollectorRegistry(), logger: logger).2.openAPIRoutes
}

private func buildRouter(configuration: ServerConfiguration, store: any APIStore, probes: [any FeatureProbe],
                         metrics: PrometheusCollectorRegistry, logger: Logger) -> (Router<APIRequestContext>, Server, RouteTable) {
    let cache = ProgramCache(store: store, limits: configuration.limits, maxBytes: configuration.programCacheBytes, logger: logger)
    let auth = Authenticator(mode: configuration.authentication, keys: store, cacheLifetime: configuration.keyCacheLifetime,
                             limits: configuration.authenticationLimits, jwt: configuration.jwt,
                             jwtRatePerSecond: configuration.jwtRatePerSecond)
    let server = Server(store: store, configuration: configuration, cache: cache,
                        explainers: ExplainerCache(limits: configuration.limits, logger: logger), metrics: ServerMetrics(registry: metrics), auth: auth,
                        decisionLog: configuration.decisionLog.map { DecisionLogQueue(capacity: $0.capacity) },
                        logSample: configuration.decisionLog?.sample ?? .all, probes: probes, validations: ValidationGate(slots: configuration.validationSlots, queue: 16),
                        eventStreams: EventStreamSlots(capacity: configuration.maxEventStreams),
                        bodyDeadlines: BodyDeadlines(timeout: configuration.bodyReadTimeout), logger: logger)
    let routes = RouteTable()
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: ErrorMiddleware(metrics: server.metrics, routes: routes, body: server.bodyReader, logger: logger))
    DecideRoutes(server: server).register(on: router)
    PredicateRoutes(server: server).register(on: router)
    DecisionRoutes(server: server).register(on: router)
    ShadowRoutes(server: server).register(on: router)
    AuthoringTaskRoutes(server: server).register(on: router)
    OperationsRoutes(server: server).register(on: router)
    OutboxRoutes(server: server).register(on: router)
    ConsoleRoutes(server: server).register(on: router)
    routes.load(router.routes.map { (path: $0.path.description, method: $0.method) })
    return (router, server, routes)
}

/// Runs the cache refresh for as long as the application runs.
struct CacheRefresher: Service {
    let cache: ProgramCache
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown { await cache.refresh(every: interval) }
    }
}
