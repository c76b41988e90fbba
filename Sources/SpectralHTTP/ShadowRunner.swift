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
}

/// Runs the shadow versions off the response path: takes everything queued, evaluates each
/// on its shadow version (from the program cache, under that program's own fuel and memory
/// limits, on the blocking pool) and tallies agreement in the registry and in `/metrics`.
struct ShadowRunner: Service {
    let queue: BoundedQueue<ShadowJob>
    let registry: ShadowRegistry
    let cache: ProgramCache
    let lane: EvaluationLane
    let metrics: ServerMetrics
    let logger: Logger
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
        guard let evaluation = try? await lane.run(mayBeLong: true, { machines.evaluate(json: input) }) else { return }
        let change = registry.record(job.run, decisionID: job.decisionID,
                                     input: job.mask.masked(String(decoding: job.input, as: UTF8.self)),
                                     active: job.active, shadow: ImpactOutcome(evaluation))
        if change != nil { metrics.recordShadowDisagreement() }
    }
}
