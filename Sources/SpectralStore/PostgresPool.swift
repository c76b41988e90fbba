import Logging
import PostgresNIO
import SpectralCatalog
import Synchronization

/// The PostgresNIO clients behind a `PostgresStore`, the structured home of their
/// background work, and the time limit on every call.
///
/// `run()` runs the current client as a child task (PostgresNIO's pool needs one). Each
/// call runs under `PostgresCall`'s time limit. After a call timed out, new calls go to a
/// fresh client (the stale one may hold more connections to a server that vanished, each of
/// which would cost a call its timeout); the stale client is retired, closing its
/// connections, once the calls still using it have ended, so that calls that were doing
/// fine on it are not failed.
///
/// Calls made before `run()` starts wait for it (as PostgresNIO's do), within their time
/// limit; after `close()` or the end of `run()` they fail.
final class PostgresPool: Sendable {
    let timeout: Duration
    private let logger: Logger
    private let makeClient: @Sendable () -> PostgresClient
    private let state: Mutex<State>
    /// Clients for `run()` to start: the first, then each replacement.
    private let starts: AsyncStream<Started>
    private let startsContinuation: AsyncStream<Started>.Continuation

    /// A client to run, until `retirement` finishes.
    private struct Started: Sendable {
        var client: PostgresClient
        var retirement: AsyncStream<Void>
    }

    private struct Entry {
        var client: PostgresClient
        var retire: AsyncStream<Void>.Continuation
        var calls = 0
    }

    private struct State {
        var current: Entry
        /// Replaced clients that calls still use, by identity.
        var stale: [ObjectIdentifier: Entry] = [:]
        var started = false
        var closed = false
    }

    struct Closed: Error, CustomStringConvertible {
        var description: String { "the PostgreSQL store is closed" }
    }

    init(timeout: Duration, logger: Logger, makeClient: @escaping @Sendable () -> PostgresClient) {
        self.timeout = timeout
        self.logger = logger
        self.makeClient = makeClient
        (starts, startsContinuation) = AsyncStream.makeStream()
        let (entry, started) = Self.entry(makeClient())
        state = Mutex(State(current: entry))
        startsContinuation.yield(started)
    }

    private static func entry(_ client: PostgresClient) -> (Entry, Started) {
        let (retirement, retire) = AsyncStream<Void>.makeStream()
        return (Entry(client: client, retire: retire), Started(client: client, retirement: retirement))
    }

    /// Runs the clients until `close()` or cancellation. Runs once.
    func run() async {
        let first = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        precondition(first, "PostgresPool.run() runs once")
        await withDiscardingTaskGroup { group in
            for await started in starts {
                group.addTask { await Self.run(started.client, until: started.retirement) }
            }
            // Closed or cancelled: the clients' runs end, closing their connections.
            group.cancelAll()
        }
        close()
    }

    /// Ends `run()`; calls fail from now on.
    func close() {
        let retiring = state.withLock { state -> [AsyncStream<Void>.Continuation] in
            guard !state.closed else { return [] }
            state.closed = true
            return [state.current.retire] + state.stale.values.map(\.retire)
        }
        for retire in retiring { retire.finish() }
        startsContinuation.finish()
    }

    /// Runs `body` with the current client within `timeout` (or `override`, for a call
    /// bounded otherwise: migrations); see `PostgresCall`.
    func withClient<T: Sendable>(timeout override: Duration? = nil, _ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let timeout = override ?? self.timeout
        let client = try state.withLock { state throws(Closed) -> PostgresClient in
            guard !state.closed else { throw Closed() }
            state.current.calls += 1
            return state.current.client
        }
        defer { checkIn(client) }
        do {
            return try await PostgresCall.run(within: timeout) { try await body(client) }
        } catch let error as StoreError where error == .timedOut(timeout) {
            replace(client)
            throw error
        }
    }

    /// A call on `client` ended: a stale client with no calls left is retired.
    private func checkIn(_ client: PostgresClient) {
        let id = ObjectIdentifier(client)
        let retire = state.withLock { state -> AsyncStream<Void>.Continuation? in
            if id == ObjectIdentifier(state.current.client) {
                state.current.calls -= 1
                return nil
            }
            state.stale[id]?.calls -= 1
            guard let entry = state.stale[id], entry.calls == 0 else { return nil }
            state.stale[id] = nil
            return entry.retire
        }
        retire?.finish()
    }

    /// A call on `client` timed out: if it is still the current client, a fresh one takes
    /// its place and it is retired once its calls have ended.
    private func replace(_ client: PostgresClient) {
        let fresh = state.withLock { state -> Started? in
            guard !state.closed, ObjectIdentifier(client) == ObjectIdentifier(state.current.client) else { return nil }
            let (entry, started) = Self.entry(makeClient())
            state.stale[ObjectIdentifier(client)] = state.current
            state.current = entry
            return started
        }
        guard let fresh else { return }
        logger.warning("store call timed out; new calls use a new connection pool", metadata: ["timeout": "\(timeout)"])
        startsContinuation.yield(fresh)
    }

    /// Runs `client` until `retirement` finishes or the task is cancelled; cancelling the
    /// client's run shuts its pool down, closing its connections.
    private static func run(_ client: PostgresClient, until retirement: AsyncStream<Void>) async {
        await withDiscardingTaskGroup { group in
            group.addTask { await client.run() }
            for await _ in retirement {}
            group.cancelAll()
        }
    }
}
