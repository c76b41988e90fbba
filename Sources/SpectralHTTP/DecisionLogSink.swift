import SpectralCatalog

/// Somewhere the decision log writer puts each batch of decisions: the store's table, a
/// JSON lines stream. The writer hands every batch to every sink in turn; a sink that
/// fails loses that batch (counted), and the others still get it.
public protocol DecisionLogSink: Sendable {
    /// Names the sink in logs and metrics (`store`, `jsonl`).
    var name: String { get }
    func write(_ batch: [DecisionRecord]) async throws
}

/// The decision log table: one transaction per batch.
struct DecisionLogStoreSink: DecisionLogSink {
    let log: any DecisionLogRepository
    var name: String { "store" }

    func write(_ batch: [DecisionRecord]) async throws {
        try await log.append(batch)
    }
}
