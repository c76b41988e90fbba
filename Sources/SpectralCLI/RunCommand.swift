import ArgumentParser
import Spectral
import SpectralCatalog
import SpectralStore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the whole system: `serve` and `work` as sibling processes under a supervisor.",
        discussion: """
            Forwards SIGTERM and SIGINT to both, restarts a child that crashes (backoff doubling from 1 s to 30 s). \
            Each child can also be started alone, so splitting them onto different hosts is configuration.
            """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("API port (default: $SPECTRAL_PORT, else 8080).", valueName: "port")) var port: Int?
    @Option(help: ArgumentHelp("API address (default: $SPECTRAL_HOST, else 127.0.0.1; a container sets 0.0.0.0).", valueName: "address"))
    var host: String?
    @Flag(help: "Embedded demo mode for the API: no API keys checked.") var demo = false
    @Option(help: ArgumentHelp("Seconds the children get to finish after SIGTERM.", valueName: "s")) var gracePeriod = 15
    @Flag(help: "The API logs its decisions (spectral serve --decision-log).") var decisionLog = false
    @Option(help: ArgumentHelp("With --decision-log: the share of decisions logged, 0 to 1 (spectral serve --decision-log-sample).", valueName: "rate"))
    var decisionLogSample: Double?
    @Option(help: ArgumentHelp("The API also writes each decision as a JSON line here, or - for standard output (serve --decision-log-jsonl).",
                               valueName: "-|path"))
    var decisionLogJsonl: String?
    @OptionGroup(title: "Decision log retention (applied by the worker)") var retention: RetentionOptions

    func run() async throws {
        LogSetup.bootstrap()
        let logger = LogSetup.logger("run")
        // Migrate once, before the children start, so they do not race on it; a demo on an
        // empty store gets a sample predicate to decide with.
        let generation = try store.resolvedGeneration
        try await store.withStore(logger: logger) { store in
            guard demo, try await store.predicates().isEmpty else { return }
            let id = try await store.submit(.predicateAuthored(Self.sample), generation: generation)
            logger.info("demo: submitted the sample predicate 'adult'", metadata: ["event_id": "\(id)"])
        }
        var shared: [String] = []
        if let url = store.databaseURL { shared += ["--database-url", url] }
        shared += ["--generation", String(try store.resolvedGeneration)]
        if store.migrate { shared.append("--migrate") }
        // With SQLite the processes cannot LISTEN to each other: poll more often.
        let sqlite: Bool
        if case .sqlite = try store.location { sqlite = true } else { sqlite = false }
        var serve = ["serve", "--host", Settings.process.string(.host, flag: host) ?? "127.0.0.1"] + shared
        if let port { serve += ["--port", String(port)] }
        if demo { serve.append("--demo") }
        if decisionLog { serve.append("--decision-log") }
        if let decisionLogSample {
            // Checked here as serve checks it, so a bad rate stops nothing that has started.
            guard decisionLog else { throw ValidationError("--decision-log-sample needs --decision-log") }
            guard (try? LogSampleRate(decisionLogSample)) != nil else {
                throw ValidationError("--decision-log-sample must be a number from 0 to 1, got \(decisionLogSample)")
            }
            serve += ["--decision-log-sample", String(decisionLogSample)]
        }
        if sqlite { serve += ["--refresh-interval", "250"] }
        if let decisionLogJsonl { serve += ["--decision-log-jsonl", decisionLogJsonl] }
        // Checked here, so a bad value stops `run` with its usage instead of restarting a worker.
        _ = try retention.retention()
        let work = ["work", "--grace-period", String(max(1, gracePeriod - 2))] + shared + (sqlite ? ["--poll-interval", "200"] : [])
            + retention.forwarded
        let supervisor = Supervisor(children: [("serve", serve), ("work", work)], gracePeriod: .seconds(gracePeriod), logger: logger)
        try await supervisor.run()
        if let failure = supervisor.configurationFailure {
            printError("spectral run: \(failure); both processes stopped")
            throw ExitCodes.configuration
        }
    }

    /// The demo's sample: adults with a verified e-mail.
    static let sample = PredicateDefinition(
        name: "adult", source: "user.age >= 18 && user.email_verified",
        declarations: ["user": "map(string, dyn)"],
        tests: [PredicateTest(input: .object([("user", .object([("age", .number(JSONNumber(Int64(30)))), ("email_verified", .bool(true))]))]),
                              expect: .bool(true))],
        description: "An adult with a verified e-mail address.", author: "spectral run --demo")
}
