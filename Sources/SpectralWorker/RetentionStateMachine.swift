import SpectralCatalog

/// The decision log pruner's decisions, free of I/O (as `WorkerStateMachine` is for the
/// outbox): the service performs each action and reports its outcome.
///
/// A pass prunes by age, then by count:
/// - Age: every decision made before now − `maxAge` (the cutoff is an id, so the delete is
///   a primary-key range) goes, in batches, until a batch deletes fewer than `batchSize`.
/// - Count: find the oldest of the newest `maxRows`; everything older goes, in batches.
///   Finding it once per pass is the costly read (it walks `maxRows` index entries), so the
///   batches that follow delete below that one cutoff, and rows logged meanwhile are
///   counted at the next pass.
/// - Then wait `interval` and start again.
/// - The store failed: give up the pass (what is deleted stays deleted) and wait for the
///   next; retention is not urgent, and the next pass starts from scratch.
public struct RetentionStateMachine: Sendable {
    public enum Action: Sendable, Equatable {
        /// Delete up to `limit` decisions with ids below `cutoff`.
        case prune(before: DecisionID, limit: Int, reason: Reason)
        /// Ask the store for the oldest decision of the newest `keepingNewest`.
        case findCountCutoff(keepingNewest: Int)
        /// Rest between batches.
        case pause(Duration)
        /// The pass is over: wait this long for the next.
        case waitForNextPass(Duration)
    }

    public enum Reason: String, Sendable, Equatable {
        case age, count
    }

    public enum Outcome: Sendable, Equatable {
        case pruned(Int)
        /// The oldest decision kept by count; nil when no more than `maxRows` are logged.
        case countCutoff(DecisionID?)
        case paused
        case storeFailed
    }

    /// What a pass has deleted, by reason; reset when the next starts.
    public struct PassTotals: Sendable, Equatable {
        public var byAge = 0
        public var byCount = 0
        public var failed = false
        public init(byAge: Int = 0, byCount: Int = 0, failed: Bool = false) {
            self.byAge = byAge
            self.byCount = byCount
            self.failed = failed
        }
    }

    let retention: DecisionLogRetention
    /// The prune to repeat after a pause: the same cutoff until a short batch.
    private var current: Action?
    public private(set) var totals = PassTotals()

    public init(retention: DecisionLogRetention) {
        self.retention = retention
    }

    /// The first action of a pass at `nowMilliseconds` (Unix time): totals start again.
    public mutating func startPass(nowMilliseconds: UInt64) -> Action {
        totals = PassTotals()
        if let maxAge = retention.maxAge {
            let ageMilliseconds = UInt64(clamping: maxAge.components.seconds) * 1000
                + UInt64(maxAge.components.attoseconds / 1_000_000_000_000_000)
            let cutoff = DecisionID.earliest(atMilliseconds: nowMilliseconds >= ageMilliseconds ? nowMilliseconds - ageMilliseconds : 0)
            current = .prune(before: cutoff, limit: retention.batchSize, reason: .age)
            return current!
        }
        return countPhase()
    }

    /// What to do after `outcome` of `action`.
    public mutating func next(after outcome: Outcome, of action: Action) -> Action {
        switch (outcome, action) {
        case (.storeFailed, _):
            totals.failed = true
            return endPass()
        case (.pruned(let deleted), .prune(_, let limit, let reason)):
            if reason == .age { totals.byAge += deleted } else { totals.byCount += deleted }
            // A full batch: more may be due below the same cutoff.
            if deleted >= limit {
                current = action
                return .pause(retention.pause)
            }
            return reason == .age ? countPhase() : endPass()
        case (.countCutoff(let kept), .findCountCutoff):
            guard let kept else { return endPass() }
            current = .prune(before: kept, limit: retention.batchSize, reason: .count)
            return current!
        case (.paused, .pause):
            return current ?? endPass()
        default:
            // An outcome that does not answer the action: a bug in the caller. End the pass
            // rather than loop on it.
            return endPass()
        }
    }

    private mutating func countPhase() -> Action {
        guard let maxRows = retention.maxRows else { return endPass() }
        current = nil
        return .findCountCutoff(keepingNewest: maxRows)
    }

    private mutating func endPass() -> Action {
        current = nil
        return .waitForNextPass(retention.interval)
    }
}
