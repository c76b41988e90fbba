import Hummingbird
import NIOCore
import ServiceLifecycle
import Logging
import Spectral
import SpectralAgent
import SpectralStore

/// Everything the routes share.
struct Server: Sendable {
    let store: any Store
    let configuration: ServerConfiguration
    let cache: ProgramCache
    let metrics: ServerMetrics
    let auth: Authenticator
    /// The `llm` line of `/health`.
    let llm: LLMHealthMonitor
    let logger: Logger

    var jsonLimits: JSONLimits { JSONLimits(maxDepth: configuration.maxJSONDepth, maxBytes: configuration.maxBodyBytes) }

    /// The body's bytes; 413 past `maxBodyBytes`.
    func body(of request: Request) async throws -> [UInt8] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(configuration.maxBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.tooLarge(configuration.maxBodyBytes)
        }
        return Array(buffer.readableBytesView)
    }
}

/// Builds the application: routes, error mapping, and the background refresh of the
/// program cache. Tests drive the result without sockets (HummingbirdTesting).
public func buildApplication(configuration: ServerConfiguration, store: any Store, logger: Logger) -> some ApplicationProtocol {
    let cache = ProgramCache(store: store, limits: configuration.limits, logger: logger)
    let server = Server(store: store, configuration: configuration, cache: cache, metrics: ServerMetrics(),
                        auth: Authenticator(mode: configuration.authentication, store: store,
                                            cacheLifetime: configuration.keyCacheLifetime, jwt: configuration.jwt,
                                            jwtRatePerSecond: configuration.jwtRatePerSecond),
                        llm: LLMHealthMonitor(configuration: configuration.llm, logger: logger), logger: logger)
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorMiddleware(metrics: server.metrics, logger: logger))
    DecideRoutes(server: server).register(on: router)
    PredicateRoutes(server: server).register(on: router)
    OperationsRoutes(server: server).register(on: router)
    return Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "spectral"),
        services: [CacheRefresher(cache: cache, interval: configuration.refreshInterval)],
        logger: logger)
}

/// Runs the cache refresh for as long as the application runs.
struct CacheRefresher: Service {
    let cache: ProgramCache
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown { await cache.refresh(every: interval) }
    }
}
