/// What replaying a new version needs from the store, read before the publishing handler
/// runs: the predicate's active version and its most recent logged inputs, each once.
public struct ImpactEvidence: Sendable {
    public var active: PredicateVersion
    /// Newest first.
    public var recent: [DecisionRecord]

    public init(active: PredicateVersion, recent: [DecisionRecord]) {
        self.active = active
        self.recent = recent
    }
}

extension DecisionLogRepository {
    /// The newest logged decisions of `predicate`, one per distinct input (its newest), at
    /// most `limit`: read a page at a time, and no more than `scanLimit` rows, so a log of
    /// one input repeated a million times costs a bounded read.
    public func recentInputs(of predicate: String, limit: Int, scanLimit: Int? = nil) async throws -> [DecisionRecord] {
        var filter = DecisionLogFilter()
        filter.predicate = predicate
        let budget = scanLimit ?? limit * 5
        var seen = Set<String>(), distinct: [DecisionRecord] = [], scanned = 0
        var cursor: DecisionID?
        while distinct.count < limit && scanned < budget {
            let page = try await decisions(matching: filter, limit: min(500, budget - scanned), after: cursor)
            scanned += page.records.count
            for record in page.records where distinct.count < limit && seen.insert(record.input).inserted {
                distinct.append(record)
            }
            guard let next = page.nextCursor else { break }
            cursor = next
        }
        return distinct
    }
}
