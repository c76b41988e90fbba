import Logging
import ServiceLifecycle
import Spectral
import SpectralCatalog

/// A decision to re-run on a shadow version, queued by the decide path after it answered.
struct ShadowJob: Sendable {
    var run: ShadowRegistry.Run
    var decisionID: DecisionID
    var input: [UInt8]
    /// What the active version decided.
    var active: ImpactOutcome
    /// What the active version masks: a disagreement's input is kept masked.
    var mask: InputMask
    /// Who asked for the live decision: its shadow disagreement is logged as theirs.
    var caller: String?
}

/// Runs the shadow versions off the response path: takes everything queued, evaluates each
/// on its shadow version (from the program cache, under that program's own fuel and memory
/// limits, on the blocking pool) and tallies agreement in the registry and in `/metrics`.
/// With the decision log on, each disagreement is logged too: the shadow version's
/// decision, naming the live one it disagreed with (`DecisionRecord.shadowOf`), whatever
/// the log's sample (disagreements are what a shadow run is for).
struct ShadowRunner: Service {
    let queue: BoundedQueue<ShadowJob>
    let registry: ShadowRegistry
    let cache: ProgramCache
    let lane: EvaluationLane
    let metrics: ServerMetrics
    let logger: Logger
    let decisionLog: DecisionLogQueue?
    let decisionIDs: DecisionIDGenerator
    let generation: Int64
    var interval: Duration = .milliseconds(20)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let jobs = queue.takeAll(reserving: 64)
            if jobs.isEmpty {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                continue
            }
            for job in jobs { await shadow(job) }
        }
    }

    private func shadow(_ job: ShadowJob) async {
        let entry: ProgramCache.Entry
        do {
            entry = try await cache.entry(job.run.name, version: job.run.version)
        } catch {
            logger.warning("shadow version unavailable", metadata: ["predicate": "\(job.run.name)@\(job.run.version)", "error": "\(error)"])
            return
        }
        let machines = entry.machines, input = job.input
        let started = ContinuousClock.now
        guard let evaluation = try? await lane.run(mayBeLong: true, { machines.evaluate(json: input) }) else { return }
        let elapsed = ContinuousClock.now - started
        let outcome = ImpactOutcome(evaluation)
        let change = registry.record(job.run, decisionID: job.decisionID,
                                     input: job.mask.masked(String(decoding: job.input, as: UTF8.self)),
                                     active: job.active, shadow: outcome)
        guard change != nil else { return }
        metrics.recordShadowDisagreement()
        guard let decisionLog else { return }
        // Masked by the writer, as every record is: the live version's mask.
        let record = DecisionRecord(
            id: decisionIDs.next(), predicate: job.run.name, version: job.run.version, input: String(decoding: input, as: UTF8.self),
            outcome: outcome.logged, fuel: evaluation.fuelUsed,
            latencyMicroseconds: elapsed.inMicroseconds, caller: job.caller,
            generation: generation, inputMask: job.mask, shadowOf: job.decisionID)
        if !decisionLog.append(record) { metrics.recordDecisionLogDropped() }
    }
}
