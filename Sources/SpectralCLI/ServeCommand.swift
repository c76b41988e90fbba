import ArgumentParser
import Hummingbird
import Spectral
import SpectralHTTP
import SpectralStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API: decide, batch decide, authoring intake, predicates, /health, /metrics.",
        discussion: "SIGTERM or SIGINT: stop accepting connections, finish requests in flight, exit."
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: ArgumentHelp("Port (default: $SPECTRAL_PORT, else 8080).", valueName: "port")) var port: Int?
    @Option(help: "Largest request body in bytes.") var maxBodyBytes = 1 << 20
    @Option(help: "Fuel per evaluation.") var fuel: UInt64 = Limits().fuel
    @Option(help: "Bytes of memory per evaluation.") var memory: Int = Limits().memory

    func run() async throws {
        LogSetup.bootstrap()
        let logger = LogSetup.logger("api")
        let resolvedPort = try port ?? ProcessEnvironment.value("SPECTRAL_PORT").map { text in
            guard let value = Int(text) else { throw ValidationError("SPECTRAL_PORT must be a port number, got '\(text)'") }
            return value
        } ?? 8080
        let configuration = ServerConfiguration(host: host, port: resolvedPort, generation: try store.resolvedGeneration,
                                                maxBodyBytes: maxBodyBytes, limits: Limits(fuel: fuel, memory: memory))
        try await store.withStore(logger: logger) { store in
            logger.warning("authentication is off: embedded demo mode (API keys and JWTs are not checked yet)")
            let app = buildApplication(configuration: configuration, store: store, logger: logger)
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        }
    }
}
