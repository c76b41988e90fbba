import Foundation
import GRDB
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The decision log under real `spectral serve` processes, on both stores: ids unique
/// across two API processes sharing one store, and a SIGKILL mid-stream that loses at most
/// what was queued and corrupts nothing.
///
/// Its API processes keep both cores busy, and beside the rest of the suite they starved
/// tests with receive timeouts (raw sockets, PostgreSQL calls). So it runs on its own, after
/// the suite, as the key flood does: `SPECTRAL_PROCESS_TESTS=1 swift test --filter
/// DecisionLogProcessTests` (`.ci/run` does); in a plain `swift test` it is listed as skipped.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["SPECTRAL_PROCESS_TESTS"] == "1",
                             "runs alone: SPECTRAL_PROCESS_TESTS=1 swift test --filter DecisionLogProcessTests"))
struct DecisionLogProcessTests {
    /// A fresh store with `p0` (`x.n > 0`) published by a real `spectral work`.
    static func storeWithPredicate(_ backend: TestBackend) async throws -> String {
        let url = try await offThePool { try backend.freshDatabaseURL() }
        let store = try await Workload.openStore(url)
        let id = try await Workload.submit(0..<1, to: store)[0]
        let logPath = SpectralBinary.temporaryFile("work.log")
        let worker = try SpectralBinary.startWorker(databaseURL: url, pollMilliseconds: 50, logPath: logPath)
        defer { worker.killIfRunning() }
        try await waitUntil(timeout: .seconds(60)) { try await store.status(ofEvent: id) == .published(name: "p0", version: 1) }
        worker.send(SIGTERM)
        worker.wait()
        await store.close()
        return url
    }

    static let body = #"{"predicate": "p0", "input": {"x": {"n": 3}}}"#

    /// Clients deciding until told to stop, and what they were answered.
    final class Traffic: Sendable {
        let stop = Atomic<Bool>(false)
        /// Set just before the test kills the server: a request that fails after it was cut off.
        let killing = Atomic<Bool>(false)
        let answered = Mutex<[String]>([])
        var count: Int { answered.withLock { $0.count } }
    }

    /// Decides from `clients` threads until `traffic.stop` is set or the server is killed;
    /// returns how many requests the kill cut off. Any other failure fails the test.
    static func drive(_ api: APIProcess, clients: Int, _ traffic: Traffic) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    // A thread of its own for each client: a loop of blocking requests held on
                    // the shared dispatch pool for a minute starves every other test's
                    // blocking work (opening databases, raw HTTP) on this 2-core machine.
                    try await LargeStackThread.value { () -> Result<Int, any Error> in
                        Result {
                            while !traffic.stop.load(ordering: .relaxed) {
                                do {
                                    guard let id = try api.decide(body) else { throw RawHTTPClient.Failure(description: "an answer without an id") }
                                    traffic.answered.withLock { $0.append(id) }
                                } catch is RawHTTPClient.Failure where traffic.killing.load(ordering: .relaxed) {
                                    return 1  // the server is gone: this request was in flight
                                }
                            }
                            return 0
                        }
                    }.get()
                }
            }
            return try await group.reduce(0, +)
        }
    }

    /// Every logged decision, read back through the store page by page (each row decodes
    /// as a record, or the listing fails).
    static func logged(_ url: String) async throws -> [DecisionRecord] {
        let store = try await Workload.openStore(url)
        var records: [DecisionRecord] = [], cursor: DecisionID?
        repeat {
            let page = try await store.decisions(matching: DecisionLogFilter(), limit: 500, after: cursor)
            records += page.records
            cursor = page.nextCursor
        } while cursor != nil
        await store.close()
        return records
    }

    @Test(arguments: TestBackend.allCases)
    func idsAreUniqueAcrossTwoAPIProcesses(_ backend: TestBackend) async throws {
        let url = try await Self.storeWithPredicate(backend)
        let first = try await APIProcess.start(databaseURL: url, generation: 1, arguments: ["--decision-log"])
        defer { first.child.killIfRunning() }
        let second = try await APIProcess.start(databaseURL: url, generation: 2, arguments: ["--decision-log"])
        defer { second.child.killIfRunning() }
        // Both at once, so many ids are made in the same millisecond by the two processes.
        let traffic = Traffic()
        // Enough for hundreds of ids per process, few enough not to starve the rest of the
        // suite running beside it on two cores.
        async let one = Self.drive(first, clients: 2, traffic)
        async let two = Self.drive(second, clients: 2, traffic)
        try await waitUntil(timeout: .seconds(60)) { traffic.count >= 1_000 }
        traffic.stop.store(true, ordering: .relaxed)
        _ = try await (one, two)
        let ids = traffic.answered.withLock { $0 }
        #expect(Set(ids).count == ids.count, "\(ids.count - Set(ids).count) ids answered twice")
        #expect(ids.allSatisfy(DecisionIDText.isUUIDv7))
        // A graceful stop writes what is queued: every decision answered is logged, once,
        // by the process that made it.
        first.child.send(SIGTERM)
        second.child.send(SIGTERM)
        #expect(first.child.wait() == 0 && second.child.wait() == 0)
        let records = try await Self.logged(url)
        #expect(records.count == ids.count)
        #expect(Set(records.map(\.id.text)) == Set(ids))
        let generations = Dictionary(grouping: records, by: \.generation).mapValues(\.count)
        #expect(generations.keys.sorted() == [1, 2] && generations.values.allSatisfy { $0 > 100 }, "\(generations)")
    }

    /// SIGKILL while decisions stream in: the log is intact (SQLite's integrity check,
    /// PostgreSQL's amcheck on the table's indexes), every
    /// row is a whole record of a decision the server made for a client, and the decisions
    /// missing are no more than the writer can hold at once: the queue's capacity, plus as
    /// many again taken from it and not yet committed.
    @Test(arguments: TestBackend.allCases)
    func aKilledAPILosesAtMostTheQueue(_ backend: TestBackend) async throws {
        let url = try await Self.storeWithPredicate(backend)
        let capacity = 1_000
        let api = try await APIProcess.start(databaseURL: url, generation: 1,
                                             arguments: ["--decision-log", "--decision-log-queue", String(capacity)])
        defer { api.child.killIfRunning() }
        let traffic = Traffic()
        let clients = 2
        async let cutOff = Self.drive(api, clients: clients, traffic)
        // Past a few writer passes, then killed mid-stream, requests in flight.
        try await waitUntil(timeout: .seconds(60)) { traffic.count >= 1_000 }
        let metrics = try await offThePool { try api.get("/metrics") }
        traffic.killing.store(true, ordering: .relaxed)
        api.child.send(SIGKILL)
        #expect(api.child.wait() == 128 + SIGKILL)
        traffic.stop.store(true, ordering: .relaxed)
        let inFlight = try await cutOff
        let ids = Set(traffic.answered.withLock { $0 })
        #expect(metrics.contains(#"spectral_decision_log_dropped_total{reason="queue_full"} 0"#) || !metrics.contains("queue_full"),
                "no drops before the kill: the bound below assumes none")

        if case .sqlite = backend {
            let path = String(url.dropFirst("sqlite:".count))
            let check = try await offThePool { () -> String in
                let queue = try DatabaseQueue(path: path)
                defer { try? queue.close() }
                return try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") ?? "" }
            }
            #expect(check == "ok")
        }
        if case .postgres = backend {
            // amcheck: every index of the table is a well-formed B-tree, and every row in the
            // table is in each of them. A failed check is an error, which fails the test.
            let database = String(url.split(separator: "/").last?.split(separator: "?").first ?? "")
            try await offThePool {
                try PostgresServer.shared().psql(database, """
                    CREATE EXTENSION IF NOT EXISTS amcheck;
                    SELECT bt_index_check(indexrelid, true) FROM pg_index WHERE indrelid = 'spectral.decision_log'::regclass
                    """)
            }
        }
        let records = try await Self.logged(url)
        let logged = Set(records.map(\.id.text))
        #expect(logged.count == records.count, "each id logged once")
        // Every row is a decision of this server, whole: its input, outcome and generation.
        #expect(records.allSatisfy { $0.predicate == "p0" && $0.version == 1 && $0.input == #"{"x": {"n": 3}}"#
                                     && $0.outcome == .decided(json: "true") && $0.generation == 1 && $0.fuel > 0 })
        // Logged but never answered: only requests in flight at the kill (answered by the
        // server, not yet read by the client).
        #expect(logged.subtracting(ids).count <= clients, "\(logged.subtracting(ids).count) logged ids no client saw")
        let missing = ids.subtracting(logged).count
        #expect(missing <= 2 * capacity, "\(missing) answered decisions missing from the log")
        #expect(records.count > 0)
        print("SIGKILL on \(backend): \(ids.count) answered, \(records.count) logged, \(missing) lost, \(inFlight) requests cut off")
    }
}
