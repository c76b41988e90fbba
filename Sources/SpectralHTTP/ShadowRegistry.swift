import Foundation
import SpectralCatalog
import Synchronization

/// Shadow runs: for a predicate, another version evaluated on a sample of its live
/// decisions after they are answered, and how often it would have decided otherwise.
///
/// Held by each API process for as long as it runs: `POST /v1/predicates/{name}/shadow`
/// starts one in the process that answers it (one API process under `spectral run`; with
/// several behind a balancer, start it on each). The decide path asks `run(for:)` on every
/// decision, which costs one atomic load while no shadow runs.
final class ShadowRegistry: Sendable {
    /// What an operator started.
    struct Run: Sendable, Equatable {
        var name: String
        var version: Int
        var sample: LogSampleRate
        var startedAt: Date
    }

    /// One disagreement, as the summary shows it; the input masked as the log masks it.
    struct Disagreement: Sendable {
        var decisionID: DecisionID
        var input: String
        var active: ImpactOutcome
        var shadow: ImpactOutcome
    }

    /// What a run has seen so far.
    struct Tally: Sendable {
        var evaluated = 0
        var agreed = 0
        var changes: [ImpactReport.Change: Int] = [:]
        /// Decisions sampled for the shadow but not run: its queue was full.
        var dropped = 0
        /// The most recent disagreements, newest last, at most `maxExamples`.
        var examples: [Disagreement] = []

        var disagreed: Int { changes.values.reduce(0, +) }
    }

    static let maxExamples = 20

    private let runs = Mutex<[String: (run: Run, tally: Tally)]>([:])
    /// How many runs there are, read without the lock by the decide path.
    private let active = Atomic<Int>(0)

    /// Starts (or restarts, from zero) shadowing `run.name` with `run.version`.
    func start(_ run: Run) {
        runs.withLock { runs in
            runs[run.name] = (run, Tally())
            active.store(runs.count, ordering: .relaxed)
        }
    }

    /// Stops shadowing `name`; what it had seen, nil when it was not shadowed.
    func stop(_ name: String) -> (run: Run, tally: Tally)? {
        runs.withLock { runs in
            let stopped = runs.removeValue(forKey: name)
            active.store(runs.count, ordering: .relaxed)
            return stopped
        }
    }

    func summary(_ name: String) -> (run: Run, tally: Tally)? {
        runs.withLock { $0[name] }
    }

    /// The run that wants decision `id` of `name` at `version`: one shadowing another
    /// version, whose sample admits the id (by its random bits, as the log samples).
    func run(for name: String, version: Int, id: DecisionID) -> Run? {
        guard active.load(ordering: .relaxed) > 0 else { return nil }
        guard let run = runs.withLock({ $0[name]?.run }), run.version != version, run.sample.admits(id) else { return nil }
        return run
    }

    /// Counts one shadow evaluation of `run` (ignored when the run was stopped or restarted
    /// meanwhile).
    func record(_ run: Run, decisionID: DecisionID, input: @autoclosure () -> String, active outcome: ImpactOutcome,
                shadow: ImpactOutcome) -> ImpactReport.Change? {
        let change = outcome.change(to: shadow)
        runs.withLock { runs in
            guard var entry = runs[run.name], entry.run == run else { return }
            entry.tally.evaluated += 1
            if let change {
                entry.tally.changes[change, default: 0] += 1
                if entry.tally.examples.count == Self.maxExamples { entry.tally.examples.removeFirst() }
                entry.tally.examples.append(Disagreement(decisionID: decisionID, input: input(), active: outcome, shadow: shadow))
            } else {
                entry.tally.agreed += 1
            }
            runs[run.name] = entry
        }
        return change
    }

    /// Counts a sampled decision the shadow could not take (its queue was full).
    func recordDropped(_ run: Run) {
        runs.withLock { runs in
            guard runs[run.name]?.run == run else { return }
            runs[run.name]?.tally.dropped += 1
        }
    }
}

