import SpectralCatalog

/// How the API logs its decisions: through a queue of `capacity` records, written by a
/// background writer in batches of `batchSize`, which looks again every `interval` when it
/// found nothing to write. `sample` is the share of decisions logged at all
/// (`--decision-log-sample`), times each predicate's own `log_sample`.
public struct DecisionLogSettings: Sendable, Equatable {
    /// Records waiting at most; past it decisions are dropped from the log (and counted).
    public var capacity: Int
    /// Records per transaction.
    public var batchSize: Int
    public var interval: Duration
    public var sample: LogSampleRate
    /// Whether decisions go to the store's decision log table (`--decision-log`).
    public var toStore = true
    /// Also one JSON line per decision here (`--decision-log-jsonl`), after the store.
    public var jsonLines: DecisionLogJSONLines?

    public init(capacity: Int = 10_000, batchSize: Int = 500, interval: Duration = .milliseconds(100), sample: LogSampleRate = .all) {
        self.capacity = max(1, capacity)
        self.batchSize = max(1, batchSize)
        self.interval = interval
        self.sample = sample
    }
}

extension DecisionLogSettings {
    /// Where the writer puts each batch: the store first (what the API reads back), then the
    /// JSON lines stream.
    func sinks(store: any DecisionLogRepository) -> [any DecisionLogSink] {
        var sinks: [any DecisionLogSink] = []
        if toStore { sinks.append(DecisionLogStoreSink(log: store)) }
        if let jsonLines { sinks.append(jsonLines) }
        return sinks
    }
}
