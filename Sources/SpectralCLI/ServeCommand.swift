import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import NIOCore
import Spectral
import SpectralAgent
import SpectralCatalog
import SpectralHTTP
import SpectralStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API: decide, batch decide, authoring intake, predicates, /health, /metrics.",
        discussion: "SIGTERM or SIGINT: stop accepting connections, finish requests in flight, exit."
    )

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Address to listen on (default: $SPECTRAL_HOST, else 127.0.0.1; a container sets 0.0.0.0).", valueName: "address"))
    var host: String?
    @Option(help: ArgumentHelp("Port (default: $SPECTRAL_PORT, else 8080).", valueName: "port")) var port: Int?
    @Option(help: "Largest request body in bytes.") var maxBodyBytes = 1 << 20
    @Option(help: "Fuel per evaluation.") var fuel: UInt64 = Limits().fuel
    @Option(help: "Bytes of memory per evaluation.") var memory: Int = Limits().memory
    @Option(help: ArgumentHelp("Milliseconds between re-reads of active versions when no notification arrives.", valueName: "ms"))
    var refreshInterval = 5000
    @Option(help: ArgumentHelp("Also accept bearer JWTs signed by these keys (ES256, RS256). Default: $SPECTRAL_JWKS_FILE.", valueName: "file"))
    var jwks: String?
    @Option(help: "The `iss` JWTs must carry (required with --jwks).") var jwtIssuer: String?
    @Option(help: "The `aud` JWTs must include (required with --jwks).") var jwtAudience: String?
    @OptionGroup var llm: LLMOptions
    @Flag(help: .hidden) var benchmarkBaseline = false
    @Flag(help: "Write every decision to the decision log table, off the response path (a bounded queue; drops are counted in /metrics).")
    var decisionLog = false
    @Option(help: ArgumentHelp("With --decision-log: the share of decisions logged, 0 to 1 (default 1, every one), times each predicate's \"log_sample\". Sampled-out decisions are counted in /metrics.", valueName: "rate"))
    var decisionLogSample: Double?
    @Option(help: ArgumentHelp("Also write each decision as one JSON line (the shape of GET /v1/decisions/{id}) to this file, appended, or - for standard output; works with or without --decision-log. Default: $SPECTRAL_DECISION_LOG_JSONL.",
                               valueName: "-|path"))
    var decisionLogJsonl: String?
    @Option(help: ArgumentHelp("Decisions the log's queue holds; past it they are dropped from the log (counted in /metrics), never delayed.", valueName: "n"))
    var decisionLogQueue = DecisionLogSettings().capacity
    @Flag(help: "Embedded demo mode: no API keys checked (said in the log and in /health). Also SPECTRAL_DEMO=1.")
    var demo = false

    func run() async throws {
        LogSetup.bootstrap()
        let logger = LogSetup.logger("api")
        let resolvedPort = try Settings.process.integer(.port, flag: port) ?? 8080
        guard (0...65535).contains(resolvedPort) else { throw ValidationError("the port must be from 0 to 65535, got \(resolvedPort)") }
        let demoMode = Settings.process.isOn(.demo, flag: demo)
        let host = Settings.process.string(.host, flag: self.host) ?? "127.0.0.1"
        let configuration = ServerConfiguration(host: host, port: resolvedPort, generation: try store.resolvedGeneration,
                                                maxBodyBytes: maxBodyBytes, limits: Limits(fuel: fuel, memory: memory),
                                                refreshInterval: .milliseconds(max(10, refreshInterval)),
                                                authentication: demoMode ? .off : .apiKeys)
        var configured = configuration
        configured.benchmarkBaseline = benchmarkBaseline
        // Failed authentications one address may make before it is answered 429 (then 2 a
        // second). Raised only where one client legitimately fails often: an API fuzzer.
        if let burst = try Settings.process.integer(.authFailureBurst, as: Int.self) {
            guard burst >= 1 else { throw ValidationError("SPECTRAL_AUTH_FAILURE_BURST must be at least 1, got \(burst)") }
            configured.authenticationLimits.failureBurst = Double(burst)
        }
        if let rate = decisionLogSample {
            guard decisionLog else { throw ValidationError("--decision-log-sample needs --decision-log") }
            guard (try? LogSampleRate(rate)) != nil else {
                throw ValidationError("--decision-log-sample must be a number from 0 to 1, got \(rate)")
            }
        }
        guard decisionLogQueue >= 1 else { throw ValidationError("--decision-log-queue must be at least 1, got \(decisionLogQueue)") }
        if decisionLog { configured.decisionLog = DecisionLogSettings(capacity: decisionLogQueue, sample: try LogSampleRate(decisionLogSample ?? 1)) }
        if let destination = Settings.process.string(.decisionLogJSONLines, flag: decisionLogJsonl) {
            var settings = configured.decisionLog ?? DecisionLogSettings(capacity: decisionLogQueue)
            settings.toStore = decisionLog
            do {
                settings.jsonLines = try DecisionLogJSONLines(destination: destination)
            } catch {
                printError("spectral serve: --decision-log-jsonl: \(error)")
                throw ExitCodes.configuration
            }
            configured.decisionLog = settings
        }
        if let path = Settings.process.string(.jwksFile, flag: jwks) {
            guard let jwtIssuer, let jwtAudience else {
                printError("spectral serve: --jwks needs --jwt-issuer and --jwt-audience: without them a token minted for any other service that trusts these keys would be accepted")
                throw ExitCodes.configuration
            }
            do {
                configured.jwt = try JWTVerifier(jwks: try readFile(path), issuer: jwtIssuer, audience: jwtAudience)
            } catch {
                throw ValidationError("--jwks \(path): \(error)")
            }
        }
        let llmConfiguration = llm.configuration
        // Authoring tasks are taken only where a model is configured (the same SPECTRAL_LLM_*
        // the workers read): otherwise 503 at once, not a task that nothing will run.
        configured.authoringAgent = llmConfiguration != nil
        do {
            try await store.runService(logger: logger) { [configured] store in
                if demoMode {
                    logger.warning("authentication is OFF: embedded demo mode; do not expose this server")
                }
                logger.info("starting the API", metadata: ["address": "\(host):\(resolvedPort)", "store": "\(store.backend)"])
                let model = LLMHealthMonitor(configuration: llmConfiguration, logger: logger)
                let probes: [any FeatureProbe] = [model, AuthoringAgentProbe(model: model, configured: llmConfiguration != nil)]
                return buildApplication(configuration: configured, store: store, probes: probes, logger: logger)
            }
        } catch let error as IOError where [EADDRINUSE, EADDRNOTAVAIL, EACCES].contains(error.errnoCode) {
            printError("spectral serve: cannot listen on \(host):\(resolvedPort): \(String(cString: strerror(error.errnoCode)).lowercased())")
            throw ExitCodes.configuration
        }
    }
}
