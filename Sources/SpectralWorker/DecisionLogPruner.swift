import Foundation
import Logging
import ServiceLifecycle
import SpectralCatalog
import Synchronization

/// Keeps the decision log within its retention (`DecisionLogRetention`): a pass at start and
/// then every interval, each pass deleting what is too old, then what is past the row
/// limit, oldest first in bounded batches. Its decisions are `RetentionStateMachine`'s;
/// this performs them. Runs in the worker process beside `OutboxWorker` (`spectral work`).
///
/// Waits run on `clock` and ages are measured on `nowMilliseconds` (the wall clock, in
/// production), so tests drive both.
public final class DecisionLogPruner: Service, Sendable {
    /// What the pruner has done so far: tests wait on `passes` instead of sleeping.
    public struct Activity: Sendable, Equatable {
        public var passes = 0
        public var prunedByAge = 0
        public var prunedByCount = 0
        public var failedPasses = 0

        public init(passes: Int = 0, prunedByAge: Int = 0, prunedByCount: Int = 0, failedPasses: Int = 0) {
            (self.passes, self.prunedByAge, self.prunedByCount, self.failedPasses) = (passes, prunedByAge, prunedByCount, failedPasses)
        }
    }

    let log: any DecisionLogRepository
    let retention: DecisionLogRetention
    let clock: any Clock<Duration>
    let nowMilliseconds: @Sendable () -> UInt64
    let logger: Logger
    private let counters = Mutex(Activity())

    public init(log: any DecisionLogRepository, retention: DecisionLogRetention, clock: any Clock<Duration> = ContinuousClock(),
                nowMilliseconds: @escaping @Sendable () -> UInt64 = DecisionIDGenerator.wallClockMilliseconds, logger: Logger) {
        self.log = log
        self.retention = retention
        self.clock = clock
        self.nowMilliseconds = nowMilliseconds
        self.logger = logger
    }

    public var activity: Activity { counters.withLock { $0 } }

    public func run() async throws {
        guard !retention.keepsEverything else { return }
        logger.info("decision log retention", metadata: [
            "max_age": "\(retention.maxAge.map { "\($0)" } ?? "none")", "max_rows": "\(retention.maxRows.map(String.init) ?? "none")",
            "interval": "\(retention.interval)", "batch": "\(retention.batchSize)",
        ])
        var machine = RetentionStateMachine(retention: retention)
        var action = machine.startPass(nowMilliseconds: nowMilliseconds())
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let outcome: RetentionStateMachine.Outcome
            switch action {
            case .prune(let cutoff, let limit, _):
                do { outcome = .pruned(try await log.pruneDecisions(before: cutoff, limit: limit)) } catch {
                    logger.warning("decision log pruning failed; trying again at the next pass", metadata: ["error": "\(String(reflecting: error))"])
                    outcome = .storeFailed
                }
            case .findCountCutoff(let count):
                do { outcome = .countCutoff(try await log.oldestDecisionKept(keepingNewest: count)) } catch {
                    logger.warning("decision log pruning failed; trying again at the next pass", metadata: ["error": "\(String(reflecting: error))"])
                    outcome = .storeFailed
                }
            case .pause(let duration):
                try? await clock.sleep(for: duration)
                outcome = .paused
            case .waitForNextPass(let interval):
                report(machine.totals)
                try? await cancelWhenGracefulShutdown { [clock] in try await clock.sleep(for: interval) }
                action = machine.startPass(nowMilliseconds: nowMilliseconds())
                continue
            }
            action = machine.next(after: outcome, of: action)
        }
    }

    /// Counts the pass; logs it when it deleted anything (a quiet log otherwise).
    private func report(_ totals: RetentionStateMachine.PassTotals) {
        counters.withLock {
            $0.passes += 1
            $0.prunedByAge += totals.byAge
            $0.prunedByCount += totals.byCount
            if totals.failed { $0.failedPasses += 1 }
        }
        if totals.byAge + totals.byCount > 0 {
            logger.info("decision log pruned", metadata: [
                "by_age": "\(totals.byAge)", "by_count": "\(totals.byCount)", "complete": "\(!totals.failed)",
            ])
        }
    }
}
