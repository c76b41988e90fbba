import Foundation
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import Synchronization
import Testing

@Suite("The decision log")
struct DecisionLogStoreTests {
    /// Records written in a batch read back field for field, by id; an id never logged
    /// reads as nil.
    @Test("append, then read each decision back by id", arguments: TestBackend.allCases)
    func appendedRecordsReadBackByID(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let ids = DecisionIDGenerator()
            let records = [
                DecisionRecord(id: ids.next(), predicate: "adult", version: 1, input: #"{"user":{"age":19,"name":"Zoë \"Z\" \\ 🦊"}}"#,
                               outcome: .decided(json: "true"), fuel: 5, latencyMicroseconds: 12, caller: "k_abc", generation: 3),
                DecisionRecord(id: ids.next(), predicate: "adult", version: 2, input: "{}",
                               outcome: .failed(code: "evaluation_error"), fuel: 2, latencyMicroseconds: 7, caller: nil, generation: 3),
                DecisionRecord(id: ids.next(), predicate: "score", version: 1, input: #"{"txn":{"amount":7}}"#,
                               outcome: .decided(json: #"{"tier":"gold","score":3.5}"#), fuel: UInt64(Int64.max), latencyMicroseconds: 0,
                               caller: "jwt:alice", generation: 4),
            ]
            try await store.append(records)
            try await store.append([])
            for record in records {
                let read = try #require(try await store.decision(id: record.id))
                #expect(sameRecord(read, record), "\(read) != \(record)")
            }
            #expect(try await store.decision(id: ids.next()) == nil)
        }
    }

    /// Newest first, filtered by predicate, version and time, page by page: the pages
    /// together are every match exactly once, and the last page says it is the last.
    @Test("list filters and pages newest first", arguments: TestBackend.allCases)
    func listingFiltersAndPages(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let clock = Mutex<UInt64>(1_780_000_000_000)
            let ids = DecisionIDGenerator(clock: { clock.withLock { $0 } })
            var records: [DecisionRecord] = []
            for index in 0..<30 {
                clock.withLock { $0 += 1_000 }  // a second apart
                records.append(DecisionRecord(id: ids.next(), predicate: index % 3 == 0 ? "score" : "adult", version: 1 + index % 2,
                                              input: #"{"n":\#(index)}"#, outcome: .decided(json: "true"), fuel: 1,
                                              latencyMicroseconds: 1, caller: nil, generation: 1))
            }
            try await store.append(records.shuffled())
            let newestFirst = Array(records.reversed())

            let all = try await pages(store, DecisionLogFilter(), limit: 7)
            #expect(all.map(\.id) == newestFirst.map(\.id))
            let adult = try await pages(store, DecisionLogFilter(predicate: "adult"), limit: 4)
            #expect(adult.map(\.id) == newestFirst.filter { $0.predicate == "adult" }.map(\.id))
            let adultTwo = try await pages(store, DecisionLogFilter(predicate: "adult", version: 2), limit: 100)
            #expect(adultTwo.map(\.id) == newestFirst.filter { $0.predicate == "adult" && $0.version == 2 }.map(\.id))
            #expect(!adultTwo.isEmpty)
            // [since, until): records 10 to 19.
            let window = DecisionLogFilter(since: records[10].createdAt, until: records[20].createdAt)
            #expect(try await pages(store, window, limit: 3).map(\.id) == records[10..<20].reversed().map(\.id))

            let exact = try await store.decisions(matching: DecisionLogFilter(predicate: "score"), limit: 10, after: nil)
            #expect(exact.records.count == 10 && exact.nextCursor == nil, "a page holding exactly the rest is the last")
            let first = try await store.decisions(matching: DecisionLogFilter(), limit: 5, after: nil)
            #expect(first.nextCursor == first.records.last?.id && first.records.count == 5)
            #expect(try await store.decisions(matching: DecisionLogFilter(predicate: "nothing"), limit: 5, after: nil)
                    == DecisionLogPage(records: [], nextCursor: nil))
        }
    }

    /// A time window is also searched as a range of ids (a decision's time is its id's);
    /// that range is a millisecond wider on each side, and the times still decide: with
    /// decisions a millisecond apart, [since, until) is exactly the ones inside, also with
    /// a predicate (whose index then finds the range) and for windows that hold nothing.
    @Test("a time window is exact to the millisecond", arguments: TestBackend.allCases)
    func timeWindowsAreExactToTheMillisecond(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let clock = Mutex<UInt64>(1_780_000_000_000)
            let ids = DecisionIDGenerator(clock: { clock.withLock { $0 } })
            var records: [DecisionRecord] = []
            for index in 0..<40 {
                clock.withLock { $0 += 1 }
                records.append(DecisionRecord(id: ids.next(), predicate: index % 2 == 0 ? "even" : "odd", version: 1,
                                              input: #"{"n":\#(index)}"#, outcome: .decided(json: "true"), fuel: 1,
                                              latencyMicroseconds: 1, caller: nil, generation: 1))
            }
            try await store.append(records)
            let window = DecisionLogFilter(since: records[10].createdAt, until: records[20].createdAt)
            #expect(try await pages(store, window, limit: 4).map(\.id) == records[10..<20].reversed().map(\.id))
            let evenWindow = DecisionLogFilter(predicate: "even", since: records[11].createdAt, until: records[21].createdAt)
            #expect(try await pages(store, evenWindow, limit: 100).map(\.id)
                    == records[11..<21].filter { $0.predicate == "even" }.reversed().map(\.id))
            let one = DecisionLogFilter(since: records[5].createdAt, until: records[6].createdAt)
            #expect(try await pages(store, one, limit: 100).map(\.id) == [records[5].id])
            let empty = DecisionLogFilter(since: records[5].createdAt, until: records[5].createdAt)
            #expect(try await pages(store, empty, limit: 100).isEmpty)
            let before = DecisionLogFilter(until: records[0].createdAt)
            #expect(try await pages(store, before, limit: 100).isEmpty)
            let after = DecisionLogFilter(since: records[39].createdAt.addingTimeInterval(0.001))
            #expect(try await pages(store, after, limit: 100).isEmpty)
        }
    }

    /// A batch is one transaction: an id already logged fails it whole.
    @Test("a batch with a logged id writes nothing", arguments: TestBackend.allCases)
    func aClashingBatchWritesNothing(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let ids = DecisionIDGenerator()
            let logged = record(ids.next())
            try await store.append([logged])
            await #expect(throws: (any Error).self) { try await store.append([record(ids.next()), logged]) }
            #expect(try await database.count("SELECT count(*) FROM decision_log") == 1)
        }
    }

    /// More records than one PostgreSQL statement carries still land, in one call.
    @Test("a batch larger than one statement", arguments: TestBackend.allCases)
    func largeBatchesLand(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let ids = DecisionIDGenerator()
            let records = (0..<2_345).map { _ in record(ids.next()) }
            try await store.append(records)
            #expect(try await database.count("SELECT count(*) FROM decision_log") == 2_345)
            #expect(try await store.decision(id: records[2_344].id) != nil)
        }
    }

    private func record(_ id: DecisionID) -> DecisionRecord {
        DecisionRecord(id: id, predicate: "adult", version: 1, input: "{}", outcome: .decided(json: "false"), fuel: 1,
                       latencyMicroseconds: 1, caller: nil, generation: 1)
    }

    /// Every page of a listing, in order.
    private func pages(_ store: any Store, _ filter: DecisionLogFilter, limit: Int) async throws -> [DecisionRecord] {
        var records: [DecisionRecord] = [], cursor: DecisionID?
        repeat {
            let page = try await store.decisions(matching: filter, limit: limit, after: cursor)
            #expect(page.records.count <= limit)
            records += page.records
            cursor = page.nextCursor
        } while cursor != nil
        return records
    }

    /// Equal but for `createdAt`, which the store keeps to the millisecond (PostgreSQL to the
    /// microsecond): within a millisecond.
    private func sameRecord(_ read: DecisionRecord, _ written: DecisionRecord) -> Bool {
        var read = read
        guard abs(read.createdAt.timeIntervalSince(written.createdAt)) < 0.001 else { return false }
        read.createdAt = written.createdAt
        return read == written
    }
}
