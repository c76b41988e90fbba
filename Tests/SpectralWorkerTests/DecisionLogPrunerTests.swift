import Foundation
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import SpectralWorker
import Synchronization
import Testing

/// The pruner as the worker runs it, on both stores: a pass at start, then one per
/// interval (on a manual clock), deleting by age and by count in small batches.
@Suite struct DecisionLogPrunerTests {
    @Test(arguments: TestBackend.allCases)
    func prunesByAgeThenByCountEveryInterval(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let start: UInt64 = 1_780_000_000_000
            // 30 decisions a minute apart, the newest made at `start`.
            let made = Mutex<UInt64>(start - 30 * 60_000)
            let ids = DecisionIDGenerator(clock: { made.withLock { $0 } })
            let records = (0..<30).map { _ in
                made.withLock { $0 += 60_000 }
                return DecisionRecord(id: ids.next(), predicate: "p", version: 1, input: "{}", outcome: .decided(json: "true"), fuel: 1,
                                      latencyMicroseconds: 1, caller: nil, generation: 1)
            }
            try await store.append(records)
            let now = Mutex<UInt64>(start)
            let clock = ManualClock()
            // Keep 20 minutes and at most 8 rows, deleting 3 at a time.
            let pruner = DecisionLogPruner(log: store, retention: DecisionLogRetention(maxAge: .seconds(20 * 60), maxRows: 8, interval: .seconds(60),
                                                                                   batchSize: 3, pause: .zero),
                                           clock: clock, nowMilliseconds: { now.withLock { $0 } }, logger: quietLogger)
            let task = Task { try await pruner.run() }
            defer { task.cancel() }
            // The first pass runs at once. By age: those made before start − 20 min, records
            // 0 to 8 (record 9 was made exactly then, and stays); by count: all but the newest
            // 8 of the 21 left, records 9 to 21.
            #expect(try await eventually(timeout: .seconds(20)) { pruner.activity.passes >= 1 })
            #expect(pruner.activity == .init(passes: 1, prunedByAge: 9, prunedByCount: 13, failedPasses: 0))
            var left = try await store.decisions(matching: DecisionLogFilter(), limit: 100, after: nil).records
            #expect(left.map(\.id) == records[22...].reversed().map(\.id))

            // New decisions arrive; an interval later the next pass trims to 8 again.
            let newer = (0..<5).map { _ in
                made.withLock { $0 += 1_000 }
                return DecisionRecord(id: ids.next(), predicate: "p", version: 1, input: "{}", outcome: .failed(code: "invalid_input"),
                                      fuel: 1, latencyMicroseconds: 1, caller: nil, generation: 1)
            }
            try await store.append(newer)
            #expect(try await eventually(timeout: .seconds(5)) { clock.deadlines.count == 1 }, "waiting for the next pass")
            clock.advance(by: .seconds(60))
            #expect(try await eventually(timeout: .seconds(20)) { pruner.activity.passes >= 2 })
            #expect(pruner.activity.prunedByCount == 18)
            left = try await store.decisions(matching: DecisionLogFilter(), limit: 100, after: nil).records
            #expect(left.map(\.id) == (Array(records[27...]) + newer).reversed().map(\.id))
        }
    }

    /// Nothing to keep within limits: the pruner does not even start a pass.
    @Test func noLimitsNoPasses() async throws {
        try await withStore(.sqlite) { store in
            let pruner = DecisionLogPruner(log: store, retention: DecisionLogRetention(maxAge: nil, maxRows: nil), logger: quietLogger)
            #expect(await finishes(within: .seconds(5)) { try? await pruner.run() })
            #expect(pruner.activity.passes == 0)
        }
    }
}
