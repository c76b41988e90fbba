import Logging
import ServiceLifecycle
import SpectralCatalog

/// Drains the decision log queue into the store, off the response path: everything queued
/// is taken at once and appended in batches of `batchSize` (one transaction each); when
/// nothing is queued it waits `interval`. A batch the store refuses is lost from the log,
/// never retried (the decisions were answered long ago; a store that is down would only
/// grow the backlog), and counted with the drops. On a graceful shutdown it writes what is
/// queued once more and stops. Each record's masked input fields are replaced first
/// (`DecisionRecord.maskingInput`), so no sink, and no error message about a batch, ever
/// holds them.
struct DecisionLogWriter: Service {
    let queue: DecisionLogQueue
    let log: any DecisionLogRepository
    let batchSize: Int
    let interval: Duration
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        var expected = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let taken = queue.takeAll(reserving: expected)
            expected = taken.count
            if taken.isEmpty {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } else {
                await write(taken)
            }
        }
        await write(queue.takeAll(reserving: 0))
    }

    /// Appends `records` in batches; a failed batch is counted lost and logged.
    func write(_ unmasked: [DecisionRecord]) async {
        let records = unmasked.map { $0.maskingInput() }
        var start = 0
        while start < records.count {
            let batch = Array(records[start..<min(start + batchSize, records.count)])
            start += batch.count
            do {
                try await log.append(batch)
                metrics.recordDecisionsLogged(batch.count)
            } catch {
                metrics.recordDecisionLogLost(batch.count)
                logger.warning("decision log: a batch was not written", metadata: ["records": "\(batch.count)", "error": "\(error)"])
            }
        }
    }
}
