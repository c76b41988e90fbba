import Foundation
import PostgresNIO
import SpectralCatalog
@testable import SpectralStore
import SpectralTestSupport
import Synchronization
import Testing

/// PostgreSQL calls end within the store's operation timeout, whatever the server does:
/// a query the server never answers (blocked on a lock, or the whole server frozen) fails
/// with `StoreError.timedOut`, and the store works again once the server does.
///
/// The elapsed-time bounds are generous (the machine is shared) but well under what a call
/// that waited for the server would take: the lock and the freeze last far longer.
@Suite("PostgreSQL: store calls end within the operation timeout", .serialized)
struct OperationTimeoutTests {
    static let timeout = Duration.seconds(2)

    /// A migrated database holding one pending event (set up through a store with the
    /// default timeout: a short one could expire during the migration on a busy machine).
    static func prepare(_ url: String) async throws -> Int64 {
        try await StoreLocation(url: url).withStore(logger: quietLogger) { store in
            _ = try await store.migrate()
            return try await store.submit(topic: "t", payload: "{}", generation: 1)
        }
    }

    /// A store with the short timeout.
    static func shortTimeoutStore(_ url: String) throws -> PostgresStore {
        guard case .postgres(let location) = try StoreLocation(url: url) else { throw TestFailure("not a postgres URL: \(url)") }
        return try PostgresStore(location, logger: quietLogger, operationTimeout: timeout)
    }

    /// Reads the event's status, giving up after 30 s (so a call that hangs fails the test
    /// instead of hanging it); returns the error the call threw, nil if it succeeded, or
    /// `Hung` if it did not end.
    static func statusError(_ store: PostgresStore, event id: Int64) async -> (any Error)? {
        struct Hung: Error {}
        let outcome = Mutex<(any Error)??>(nil)
        let ended = await finishes(within: .seconds(30)) {
            do {
                _ = try await store.status(ofEvent: id)
                outcome.withLock { $0 = .some(nil) }
            } catch {
                outcome.withLock { $0 = .some(error) }
            }
        }
        return ended ? outcome.withLock { $0 } ?? nil : Hung()
    }

    /// Uses the store until a call succeeds (one connection is then open and used): calls
    /// that time out while the machine is busy are retried for a while.
    static func warmUp(_ store: PostgresStore, event id: Int64) async throws {
        let warm = try await eventually(timeout: .seconds(30), interval: .milliseconds(100)) {
            (try? await store.status(ofEvent: id)) == .pending(attempts: 0, lastError: nil)
        }
        try #require(warm, "the store never answered")
    }

    // Fails if a call whose timeout expires anywhere in its transaction (leasing, BEGIN, a
    // statement, between statements, ROLLBACK) never ends, or if the store's run() does not
    // end after close(): the whole use of the store must finish. Timeouts of 5 to 150 ms
    // expire at every stage of migrate and submit on a fresh database; with PostgresNIO's
    // own withTransaction, the ROLLBACK it writes on the closed connection never completed
    // (checked: 2 of the 30 cases hung; the hang is a race, so one run may miss it).
    @Test("calls that time out at any point of a transaction end, and so does the store",
          arguments: Array(stride(from: 5, through: 150, by: 5)))
    func timeoutsAnywhereEnd(_ milliseconds: Int) async throws {
        let database = try await TestDatabase(.postgres)
        guard case .postgres(let location) = try StoreLocation(url: database.url) else { throw TestFailure("not a postgres URL") }
        // The migration too, so that the timeout expires at every stage of it as well.
        let store = try PostgresStore(location, logger: quietLogger, operationTimeout: .milliseconds(milliseconds),
                                      migrationTimeout: .milliseconds(milliseconds))
        let ended = await finishes(within: .seconds(60)) {
            _ = try? await store.whileRunning {
                _ = try await store.migrate()
                _ = try await store.submit(topic: "t", payload: "{}", generation: 1)
            }
        }
        #expect(ended, "a use of the store with a \(milliseconds) ms timeout did not end")
    }

    // Fails if a statement sent as its connection closes is lost (its caller waits forever):
    // PostgresNIO 1.33 drops a statement written after the channel closed, and a server
    // restart closes connections at any moment. Here a client is shut down (closing its
    // connections) at a random moment under statements sent through `checkedQuery`. A race,
    // so only a statistical check: with the check made off the event loop, the reproduction
    // stranded a statement once in roughly 200 to 1,100 rounds, and two runs of this test
    // (1,000 rounds, about 12 s) both missed it.
    @Test("statements sent through checkedQuery as their connection closes all end")
    func statementsRacingACloseEnd() async throws {
        let server = try await offThePool { try PostgresServer.shared() }
        let configuration = PostgresClient.Configuration(host: "127.0.0.1", port: server.port, username: "postgres",
                                                         password: nil, database: "postgres", tls: .disable)
        for round in 0..<1_000 {
            let client = PostgresClient(configuration: configuration)
            let ended = await finishes(within: .seconds(30)) {
                await withDiscardingTaskGroup { group in
                    group.addTask { await client.run() }
                    group.addTask {
                        _ = try? await client.withConnection { connection in
                            try await connection.checkedQuery("BEGIN", logger: quietLogger)
                            try await connection.checkedQuery("SELECT 1", logger: quietLogger)
                            try await connection.checkedQuery("COMMIT", logger: quietLogger)
                        }
                    }
                    try? await Task.sleep(for: .microseconds(Int.random(in: 0...20_000)))
                    group.cancelAll()
                }
            }
            try #require(ended, "round \(round): a statement was lost as its connection closed")
        }
    }

    // Fails if concurrent calls, with timeouts expiring anywhere and the pool replaced under
    // them, do not all end: a pool retired while other calls still use it closes connections
    // they may be writing to, and PostgresNIO loses such a write (the call would hang). A
    // race, so a statistical check: with the stale pool retired at once, 300 rounds caught
    // it and 40 did not; 100 rounds take about 15 s here.
    @Test("concurrent calls timing out anywhere, with pools replaced under them, all end")
    func concurrentTimeoutsEnd() async throws {
        let database = try await TestDatabase(.postgres)
        _ = try await Self.prepare(database.url)
        guard case .postgres(let location) = try StoreLocation(url: database.url) else { throw TestFailure("not a postgres URL") }
        for round in 0..<100 {
            let timeout = Duration.milliseconds(Int.random(in: 2...60))
            let store = try PostgresStore(location, logger: quietLogger, maximumConnections: 3, operationTimeout: timeout)
            let ended = await finishes(within: .seconds(60)) {
                _ = try? await store.whileRunning {
                    await withTaskGroup(of: Void.self) { group in
                        for _ in 0..<6 {
                            group.addTask {
                                for _ in 0..<5 {
                                    _ = try? await store.submit(topic: "t", payload: "{}", generation: 1)
                                    _ = try? await store.backlog(generation: 1)
                                }
                            }
                        }
                    }
                }
            }
            try #require(ended, "round \(round) (timeout \(timeout)) did not end")
        }
    }

    // Fails if a query stuck on the server is waited out (the call would last until the
    // lock is released, 60 s; the test gives up on it after 30), or fails with anything
    // but `timedOut`, or if the store stays broken after the timeout (its pool is replaced,
    // so the next call must work).
    @Test("a query blocked on a lock fails with timedOut, and the next call works")
    func blockedQueryTimesOut() async throws {
        let database = try await TestDatabase(.postgres)
        let server = try await offThePool { try PostgresServer.shared() }
        let id = try await Self.prepare(database.url)
        let store = try Self.shortTimeoutStore(database.url)
        try await store.whileRunning {
            try await Self.warmUp(store, event: id)
            // Another session takes the outbox table for a minute: reads of it wait on the server.
            let name = database.postgresDatabase
            let holder = Task {
                _ = try? await offThePool {
                    try server.psql(name, "BEGIN; LOCK TABLE spectral.outbox IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT")
                }
            }
            let locked = try await eventually(timeout: .seconds(10)) {
                try await database.count("""
                    SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                    WHERE c.relname = 'outbox' AND l.mode = 'AccessExclusiveLock' AND l.granted
                    """) == 1
            }
            try #require(locked, "the lock was not taken")

            let started = ContinuousClock.now
            let error = await Self.statusError(store, event: id)
            let elapsed = ContinuousClock.now - started
            #expect(error as? StoreError == .timedOut(Self.timeout), "\(String(describing: error))")
            #expect(elapsed < .seconds(20), "the call took \(elapsed)")

            _ = try await offThePool {
                try server.psql(name, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()")
            }
            await holder.value
            try await Self.warmUp(store, event: id)
        }
    }

    // Fails if a call to a frozen server (connections open but nothing answers, new ones
    // never finish their handshake) is waited out, or fails with anything but `timedOut`,
    // or if the store does not recover once the server runs again.
    @Test("a call to a frozen server fails with timedOut, and the store recovers when it thaws")
    func frozenServerTimesOut() async throws {
        let server = try await offThePool { try PostgresServer.start() }
        defer { server.destroy() }
        let url = try await offThePool { try server.createDatabase() }
        let id = try await Self.prepare(url)
        let store = try Self.shortTimeoutStore(url)
        try await store.whileRunning {
            try await Self.warmUp(store, event: id)
            try server.freeze()
            defer { try? server.thaw() }
            for _ in 0..<2 {  // the first call's connection is frozen; the second's, from the fresh pool, cannot connect
                let started = ContinuousClock.now
                let error = await Self.statusError(store, event: id)
                let elapsed = ContinuousClock.now - started
                #expect(error as? StoreError == .timedOut(Self.timeout), "\(String(describing: error))")
                #expect(elapsed < .seconds(20), "the call took \(elapsed)")
            }
            try server.thaw()
            try await Self.warmUp(store, event: id)
        }
    }
}
