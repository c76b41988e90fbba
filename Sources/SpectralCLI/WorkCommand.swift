import ArgumentParser
import Logging
import ServiceLifecycle
import Spectral
import SpectralAgent
import SpectralCatalog
import SpectralStore
import SpectralWorker

struct WorkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work",
        abstract: "Run the outbox worker: validate submitted predicates, publish versions or rejections; prune the decision log.",
        discussion: """
            Claims events of its generation (FOR UPDATE SKIP LOCKED on PostgreSQL) in a short transaction that \
            counts the attempt, validates with no transaction open under --handler-budget, then commits the \
            outcome if its claim still holds the event. Wakes on LISTEN/NOTIFY \
            (or the in-process signal with SQLite) and polls as a fallback. SIGTERM or SIGINT: stop claiming, \
            finish the event in flight, exit within the grace period. \
            It also keeps the decision log within its retention (--decision-log-max-age, --decision-log-max-rows): \
            a pass at start and every --decision-log-prune-interval, deleting the oldest decisions in batches of 5000. \
            With a model configured (SPECTRAL_LLM_BASE_URL), it also runs authoring tasks in a lane of their own \
            (--agent-concurrency turns at once), each turn's claim a lease renewed by heartbeat and every finished round \
            checkpointed, so a restarted worker resumes a task without asking the model again for a finished round.
            """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Poll interval in milliseconds (the fallback when no notification arrives).", valueName: "ms"))
    var pollInterval = 1000
    @Flag(help: "Never LISTEN; poll only (for transaction-mode poolers such as PgBouncer).") var pollingOnly = false
    @Option(help: "Attempts (claims, including ones whose worker died) after which an event is parked as dead.") var maxAttempts = 5
    @Option(help: ArgumentHelp("Seconds one handler (validating a predicate, its tests included) may run; past it the event is rejected.", valueName: "s"))
    var handlerBudget = 10.0
    @Option(help: ArgumentHelp("Seconds a claim holds its event (an event whose worker died is retried after it); keep it above the handler budget, or a slow validation is also started by another worker (only one of them publishes).", valueName: "s"))
    var claimLease = 60.0
    @Option(help: ArgumentHelp("Seconds to finish the event in flight after SIGTERM.", valueName: "s")) var gracePeriod = 10
    @Option(help: ArgumentHelp("Handoff: also claim the pending events of older generations none of whose workers runs (each stopped, or silent this many seconds; SPECTRAL_WORKER_ADOPT_AFTER). 0: never adopt.", valueName: "s"))
    var adoptAfter: Double?
    @Option(help: ArgumentHelp("Seconds between heartbeats in the worker registry; keep it well under the --adopt-after of newer generations.", valueName: "s"))
    var heartbeatInterval = 5.0
    @Option(help: "Largest static cost bound accepted (default: the fuel limit).") var costBudget: UInt64?
    @Option(help: ArgumentHelp("Recent distinct logged inputs replayed through the active version and a new one before it goes live (its impact report); 0: no replay.", valueName: "n"))
    var impactReplay = 1_000
    @Option(help: "Fuel per evaluation (attached tests run under it).") var fuel: UInt64 = Limits().fuel
    @Option(help: "Bytes of memory per evaluation.") var memory: Int = Limits().memory
    @OptionGroup(title: "Decision log retention") var retention: RetentionOptions
    @OptionGroup(title: "Authoring agent") var llm: LLMOptions
    @Option(help: ArgumentHelp("Authoring turns run at once, in a lane of their own beside publishing (0: none; SPECTRAL_AGENT_CONCURRENCY).", valueName: "n"))
    var agentConcurrency: Int?
    @Option(help: ArgumentHelp("Seconds an authoring turn's claim holds without a heartbeat (renewed every third of it): a killed worker's task resumes this long after (SPECTRAL_AGENT_LEASE; default 30).", valueName: "s"))
    var agentLease: Double?

    func run() async throws {
        LogSetup.bootstrap()
        let logger = LogSetup.logger("worker")
        let adoptAfter = try Settings.process.decimal(.workerAdoptAfter, flag: adoptAfter) ?? 30
        guard adoptAfter == 0 || adoptAfter >= 2 * heartbeatInterval else {
            throw ValidationError("--adopt-after (\(adoptAfter) s) must be 0 (never adopt) or at least twice --heartbeat-interval (\(heartbeatInterval) s): a worker between two heartbeats is not dead")
        }
        let configuration = WorkerConfiguration(
            generation: try store.resolvedGeneration,
            adoptAfter: adoptAfter > 0 ? .seconds(adoptAfter) : nil,
            heartbeatInterval: .seconds(max(0.01, heartbeatInterval)),
            pollInterval: .milliseconds(max(1, pollInterval)),
            listens: !pollingOnly, maxAttempts: max(1, maxAttempts),
            handlerBudget: .seconds(max(0.001, handlerBudget)),
            claimLease: .seconds(max(0.001, claimLease)),
            // Authoring turns belong to the agent lane, here or in another worker that has a model.
            topics: .except([OutboxMessage.Topic.authoringRequested]))
        let validator = PredicateValidator(limits: Limits(fuel: fuel, memory: memory), costBudget: costBudget)
        let retention = try self.retention.retention()
        let concurrency = try Settings.process.integer(.agentConcurrency, flag: agentConcurrency) ?? 2
        guard concurrency >= 0 else { throw ValidationError("--agent-concurrency must be 0 or more, got \(concurrency)") }
        let agentLease = try Settings.process.decimal(.agentLease, flag: agentLease) ?? 30
        guard agentLease >= 0.03 else { throw ValidationError("--agent-lease must be at least 0.03 s, got \(agentLease)") }
        let llmConfiguration = concurrency > 0 ? llm.configuration : nil
        if llmConfiguration == nil {
            logger.info("no authoring agent: authoring tasks wait for a worker with a model (SPECTRAL_LLM_BASE_URL)")
        }
        try await store.runService(logger: logger, gracePeriod: .seconds(gracePeriod)) { store in
            // The worker also keeps the decision log within its retention: the API only
            // appends, so pruning costs the decide path nothing.
            var services: [any Service] = [
                OutboxWorker(store: store, configuration: configuration,
                             handlers: [PredicateAuthoredHandler(validator: validator, evidence: store, replayLimit: max(0, impactReplay))],
                             logger: logger),
                DecisionLogPruner(log: store, retention: retention, logger: logger),
            ]
            if let llmConfiguration {
                let runner = AgentTurnRunner(store: store, client: ChatCompletionClient(configuration: llmConfiguration, logger: logger),
                                             validator: validator, logger: logger)
                services.append(AgentLane(
                    store: store, generation: configuration.generation, adoptAfter: configuration.adoptAfter, listens: configuration.listens,
                    // Idle slots poll at most once a second each: a task waits on a model for
                    // seconds anyway, and a claim that finds nothing is still a write on SQLite.
                    configuration: AgentLaneConfiguration(concurrency: concurrency, lease: .seconds(agentLease), renewEvery: .seconds(agentLease / 3),
                                                          pollInterval: max(configuration.pollInterval, .seconds(1))),
                    runner: runner, logger: logger))
            }
            return SiblingServices(services: services)
        }
    }

}
