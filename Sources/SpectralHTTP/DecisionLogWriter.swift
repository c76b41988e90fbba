import Logging
import ServiceLifecycle
import SpectralCatalog

/// Drains the decision log queue into its sinks (the store, a JSON lines stream), off the
/// response path: everything queued is taken at once and cut into batches of `batchSize`,
/// and each batch goes to every sink in turn (for the store, one transaction); when
/// nothing is queued it waits `interval`, and after less than a batch a moment
/// (`gathering`). A batch a sink refuses is lost from that sink, never retried (the
/// decisions were answered long ago; a store that is down would only grow the backlog),
/// and counted with the drops. On a graceful shutdown it writes what is queued
/// once more and stops. Each record's masked input fields are
/// replaced first (`DecisionRecord.maskingInput`), so no sink, and no error message about a
/// batch, ever holds them.
struct DecisionLogWriter: Service {
    let queue: DecisionLogQueue
    let sinks: [any DecisionLogSink]
    let batchSize: Int
    let interval: Duration
    let metrics: ServerMetrics
    let logger: Logger

    /// The pause after a pass that wrote less than a batch.
    static let gathering = Duration.milliseconds(20)

    func run() async throws {
        // Each sink's series exist from the start, at zero, rather than from its first batch.
        for sink in sinks {
            metrics.recordDecisionsLogged(0, sink: sink.name)
            metrics.recordDecisionLogLost(0, sink: sink.name)
        }
        var expected = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let taken = queue.takeAll(reserving: expected)
            expected = taken.count
            if taken.isEmpty {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                continue
            }
            await write(taken)
            // A pass that found less than a batch lets the next one gather for a moment:
            // under a steady load that makes batches of hundreds instead of tens, and a
            // transaction (its commit, its fsync, the pages it rewrites) costs about the
            // same either way. Short, so that a small queue does not fill meanwhile; a pass
            // that found a whole batch goes straight on.
            if taken.count < batchSize {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: min(interval, Self.gathering)) }
            }
        }
        await write(queue.takeAll(reserving: 0))
    }

    /// Writes `records` in batches, their masked fields replaced first.
    func write(_ unmasked: [DecisionRecord]) async {
        let records = unmasked.map { $0.maskingInput() }
        var start = 0
        while start < records.count {
            let batch = Array(records[start..<min(start + batchSize, records.count)])
            start += batch.count
            await deliver(batch)
        }
    }

    /// One batch to every sink; a sink that fails has the batch counted lost and logged.
    func deliver(_ batch: [DecisionRecord]) async {
        for sink in sinks {
            do {
                try await sink.write(batch)
                metrics.recordDecisionsLogged(batch.count, sink: sink.name)
            } catch {
                metrics.recordDecisionLogLost(batch.count, sink: sink.name)
                logger.warning("decision log: a batch was not written", metadata: [
                    "sink": "\(sink.name)", "records": "\(batch.count)", "error": "\(error)",
                ])
            }
        }
    }
}
