import Foundation
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import Synchronization
import Testing

/// The decision log's outcome filter and the two retention calls, on both stores: what
/// they return and exactly which rows they leave.
@Suite("The decision log: outcomes and retention")
struct DecisionLogRetentionStoreTests {
    /// 40 decisions a second apart: every 4th failed (alternating two codes), the rest
    /// decided true, false or a number in turn.
    static func records(startingAt start: UInt64 = 1_780_000_000_000) -> [DecisionRecord] {
        let clock = Mutex<UInt64>(start)
        let ids = DecisionIDGenerator(clock: { clock.withLock { $0 } })
        return (0..<40).map { index in
            clock.withLock { $0 += 1_000 }
            let outcome: DecisionRecord.Outcome
            if index % 4 == 3 {
                outcome = .failed(code: index % 8 == 3 ? "invalid_input" : "fuel_exhausted")
            } else {
                outcome = .decided(json: ["true", "false", "3.5"][index % 4])
            }
            return DecisionRecord(id: ids.next(), predicate: index % 2 == 0 ? "even" : "odd", version: 1, input: #"{"n":\#(index)}"#,
                                  outcome: outcome, fuel: 1, latencyMicroseconds: 1, caller: nil, generation: 1)
        }
    }

    @Test("the outcome filter: decided, failed, a boolean, an error code; paged with the others", arguments: TestBackend.allCases)
    func outcomeFilter(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let records = Self.records()
            try await store.append(records.shuffled())
            let newestFirst = Array(records.reversed())
            func listed(_ filter: DecisionLogFilter, limit: Int = 3) async throws -> [DecisionID] {
                var ids: [DecisionID] = [], cursor: DecisionID?
                repeat {
                    let page = try await store.decisions(matching: filter, limit: limit, after: cursor)
                    ids += page.records.map(\.id)
                    cursor = page.nextCursor
                } while cursor != nil
                return ids
            }
            func expected(_ keep: (DecisionRecord) -> Bool) -> [DecisionID] { newestFirst.filter(keep).map(\.id) }
            func failed(_ record: DecisionRecord) -> String? {
                if case .failed(let code) = record.outcome { return code }
                return nil
            }
            #expect(try await listed(DecisionLogFilter(outcome: .failed)) == expected { failed($0) != nil })
            #expect(try await listed(DecisionLogFilter(outcome: .decided)) == expected { failed($0) == nil })
            #expect(try await listed(DecisionLogFilter(outcome: .decision(true))) == expected { $0.outcome == .decided(json: "true") })
            #expect(try await listed(DecisionLogFilter(outcome: .decision(false))) == expected { $0.outcome == .decided(json: "false") })
            #expect(try await listed(DecisionLogFilter(outcome: .errorCode("invalid_input"))) == expected { failed($0) == "invalid_input" })
            #expect(try await listed(DecisionLogFilter(outcome: .errorCode("no_such_code"))).isEmpty)
            // With the other conditions: odd predicate, failed, within a window.
            let window = DecisionLogFilter(predicate: "odd", since: records[8].createdAt, until: records[30].createdAt, outcome: .failed)
            let inWindow = try await listed(window, limit: 2)
            #expect(inWindow == records[8..<30].reversed().filter { $0.predicate == "odd" && failed($0) != nil }.map(\.id))
            #expect(inWindow.count == 5)
        }
    }

    @Test("pruning deletes the oldest below the cutoff, at most a batch at a time", arguments: TestBackend.allCases)
    func pruneBelowACutoff(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let records = Self.records()
            try await store.append(records)
            // Everything made before record 25's millisecond: 25 rows, in batches of 10.
            let cutoff = DecisionID.earliest(atMilliseconds: records[25].id.milliseconds)
            #expect(try await store.pruneDecisions(before: cutoff, limit: 10) == 10)
            #expect(try await store.decision(id: records[9].id) == nil, "the batch took the ten oldest")
            #expect(try await store.decision(id: records[10].id) != nil, "and only those")
            #expect(try await store.pruneDecisions(before: cutoff, limit: 10) == 10)
            #expect(try await store.pruneDecisions(before: cutoff, limit: 10) == 5)
            #expect(try await store.pruneDecisions(before: cutoff, limit: 10) == 0)
            #expect(try await store.pruneDecisions(before: cutoff, limit: 0) == 0)
            let left = try await store.decisions(matching: DecisionLogFilter(), limit: 100, after: nil).records
            #expect(left.map(\.id) == records[25...].reversed().map(\.id))
            #expect(try await database.count("SELECT count(*) FROM decision_log") == 15)
        }
    }

    @Test("the count cutoff is the oldest of the newest N", arguments: TestBackend.allCases)
    func countCutoff(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            #expect(try await store.oldestDecisionKept(keepingNewest: 1) == nil, "an empty log")
            let records = Self.records()
            try await store.append(records)
            #expect(try await store.oldestDecisionKept(keepingNewest: 1) == records[39].id)
            #expect(try await store.oldestDecisionKept(keepingNewest: 12) == records[28].id)
            #expect(try await store.oldestDecisionKept(keepingNewest: 40) == records[0].id)
            #expect(try await store.oldestDecisionKept(keepingNewest: 41) == nil)
            // Keeping 12: the 28 older go, the 12 stay.
            let kept = try #require(try await store.oldestDecisionKept(keepingNewest: 12))
            var deleted = 0
            while true {
                let batch = try await store.pruneDecisions(before: kept, limit: 7)
                deleted += batch
                if batch < 7 { break }
            }
            #expect(deleted == 28)
            let left = try await store.decisions(matching: DecisionLogFilter(), limit: 100, after: nil).records
            #expect(left.map(\.id) == records[28...].reversed().map(\.id))
        }
    }
}
