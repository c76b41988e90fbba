import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Logging
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

    /// Opens the store, migrating when asked (or when it is the embedded SQLite file), and
    /// checks the schema is current; closes it after `body`.
    func withStore<T>(logger: Logger, _ body: (any Store) async throws -> T) async throws -> T {
        let location = try self.location
        let store = try await location.open(logger: logger)
        do {
            if case .sqlite = location {
                _ = try await store.migrate()
            } else if migrate {
                let report = try await store.migrate()
                if !report.applied.isEmpty { logger.info("migrations applied", metadata: ["versions": "\(report.applied)"]) }
            }
            try await store.requireCurrentSchema()
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}
