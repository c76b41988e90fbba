/// How long and how much of the decision log the worker keeps: decisions older than
/// `maxAge`, and all but the newest `maxRows`, are deleted every `interval`, oldest first,
/// `batchSize` rows per transaction. Nil limits keep everything on that count. A decision's
/// age is its id's time (when it was made, as `created_at` records it), so pruning by age
/// deletes a range of the primary key.
public struct DecisionLogRetention: Sendable, Equatable {
    public var maxAge: Duration?
    public var maxRows: Int?
    /// Between pruning passes. A pass deletes all that is due, batch after batch.
    public var interval: Duration
    /// Rows per DELETE: small enough that each transaction holds its locks briefly (SQLite
    /// has a single writer; the API's log writer waits behind it).
    public var batchSize: Int
    /// Rest between two batches of one pass, so a large backlog is pruned beside the API's
    /// writes rather than in front of them.
    public var pause: Duration

    public static let defaultMaxAge: Duration = .seconds(30 * 86_400)
    public static let defaultMaxRows = 10_000_000

    public init(maxAge: Duration? = defaultMaxAge, maxRows: Int? = defaultMaxRows, interval: Duration = .seconds(60),
                batchSize: Int = 5_000, pause: Duration = .milliseconds(10)) {
        self.maxAge = maxAge
        self.maxRows = maxRows.map { max(1, $0) }
        self.interval = interval
        self.batchSize = max(1, batchSize)
        self.pause = pause
    }

    /// Neither limit set: nothing is ever pruned.
    public var keepsEverything: Bool { maxAge == nil && maxRows == nil }
}
