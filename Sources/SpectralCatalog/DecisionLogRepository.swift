/// The decision log: every decision the API made (or the sample of them it keeps), written
/// in batches off the response path and read back by id or page by page.
///
/// Ids are UUIDv7s, so a listing in id order is a listing in time order, and a page ends
/// where the next begins with no offset to recount: the cursor is the last id returned.
public protocol DecisionLogRepository: Sendable {
    /// Writes `records` in one transaction. An id already logged is an error (ids are
    /// unique by construction; a clash means a bug, not a retry).
    func append(_ records: [DecisionRecord]) async throws
    /// The decision with this id; nil when none is logged (never made, dropped or pruned).
    func decision(id: DecisionID) async throws -> DecisionRecord?
    /// Up to `limit` decisions that pass `filter`, newest first, starting after `cursor`
    /// (the previous page's `nextCursor`; nil for the first page).
    func decisions(matching filter: DecisionLogFilter, limit: Int, after cursor: DecisionID?) async throws -> DecisionLogPage

    /// Retention by count: the oldest of the newest `count` decisions (`count` ≥ 1), which is
    /// kept; everything older may be pruned. Nil when fewer than `count` are logged.
    func oldestDecisionKept(keepingNewest count: Int) async throws -> DecisionID?
    /// Deletes up to `limit` of the oldest decisions whose id is below `cutoff`, oldest
    /// first, in one short transaction; returns how many it deleted. Retention calls it in
    /// a loop until it deletes fewer than `limit`: a bounded batch holds its locks briefly,
    /// where one DELETE of millions of rows would hold them (and grow the WAL) for long.
    func pruneDecisions(before cutoff: DecisionID, limit: Int) async throws -> Int
}
