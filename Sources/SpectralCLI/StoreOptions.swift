import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import SpectralStore

/// Where the store is and which generation this process belongs to: flags override the
/// environment (`SPECTRAL_DATABASE_URL`, `SPECTRAL_GENERATION`).
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("postgres://user@host:port/db, or sqlite:PATH. Default: $SPECTRAL_DATABASE_URL, else the embedded SQLite file spectral.sqlite.",
                               valueName: "url"))
    var databaseURL: String?

    @Option(help: ArgumentHelp("Deployment generation stamped on submitted events and claimed by workers. Default: $SPECTRAL_GENERATION, else 1.",
                               valueName: "n"))
    var generation: Int64?

    @Flag(help: "Apply pending migrations first (the embedded SQLite store always does).")
    var migrate = false

    var location: StoreLocation {
        get throws { try StoreLocation(url: Settings.process.string(.databaseURL, flag: databaseURL)) }
    }

    var resolvedGeneration: Int64 {
        get throws {
            try Settings.process.integer(.generation, flag: generation) ?? 1
        }
    }

    /// Opens the store and runs `body` while it runs (structured: the store's `run()` is a
    /// child task for the duration), after migrating when asked (or when it is the embedded
    /// SQLite file) and checking the schema is current; closes it after `body`. For commands
    /// that use the store for a while: submit, keys, migrate, status...
    func withStore<T>(logger: Logger, _ body: (any Store) async throws -> T) async throws -> T {
        let location = try self.location
        return try await location.withStore(logger: logger) { store in
            try await Self.prepare(store, location: location, migrate: migrate, logger: logger)
            return try await body(store)
        }
    }

    /// Opens the store and runs it with a service in one ServiceGroup until SIGTERM or
    /// SIGINT, for the long-running commands (serve, work). The store comes first, so
    /// graceful shutdown (in reverse order) stops the service before the store. The service
    /// is made by `makeService` once the store is prepared as in `withStore`.
    func runService(logger: Logger, gracePeriod: Duration? = nil,
                    _ makeService: @escaping @Sendable (any Store) throws -> any Service) async throws {
        let location = try self.location
        let store = try await location.open(logger: logger)
        let prepared = AfterPreparation { [migrate] in
            try await Self.prepare(store, location: location, migrate: migrate, logger: logger)
            return try makeService(store)
        }
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: store), .init(service: prepared)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        if let gracePeriod { configuration.maximumGracefulShutdownDuration = gracePeriod }
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    /// Migrates when asked (always for the embedded SQLite file) and checks the schema.
    private static func prepare(_ store: any Store, location: StoreLocation, migrate: Bool, logger: Logger) async throws {
        if case .sqlite = location {
            _ = try await store.migrate()
        } else if migrate {
            let report = try await store.migrate()
            if !report.applied.isEmpty { logger.info("migrations applied", metadata: ["versions": "\(report.applied)"]) }
        }
        try await store.requireCurrentSchema()
    }
}
