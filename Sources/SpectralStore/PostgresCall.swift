import NIOCore
import PostgresNIO
import SpectralCatalog
import Synchronization

/// One PostgreSQL store call under its time limit: the call runs as a child task beside a
/// timer (one task group, two child tasks, nothing unstructured), and when the time is up
/// it is ended, structurally, before the caller gets `StoreError.timedOut`:
///
/// - The call's task is cancelled. That ends a wait for a pooled connection (PostgresNIO
///   honours cancellation there), and `checkedQuery` refuses to send another statement.
/// - A statement already sent is not cancelled by PostgresNIO (nor is reading its rows), so
///   the connection the call holds is closed, which fails the statement. `checkedQuery`
///   makes that safe: no statement can be written to the connection after it closed.
///
/// The same happens when the caller is cancelled, with `CancellationError`.
final class PostgresCall: Sendable {
    /// The call the current task runs, for `withConnection` to report its connection to.
    @TaskLocal static var current: PostgresCall?

    private struct State {
        /// The connection the call holds, while it holds it.
        var connection: PostgresConnection?
        var givenUp = false
    }

    private let state = Mutex(State())

    /// Runs `body` within `limit`.
    static func run<T: Sendable>(within limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let call = PostgresCall()
        return try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
            group.addTask { .finished(try await $current.withValue(call) { try await body() }) }
            group.addTask {
                try? await Task.sleep(for: limit)
                return .timeUp
            }
            do {
                if case .finished(let value) = try await group.next()! {
                    group.cancelAll()
                    return value
                }
            } catch {
                group.cancelAll()
                throw error
            }
            // Time is up, or the caller was cancelled (which ends the timer's sleep early).
            let cancelled = Task.isCancelled
            group.cancelAll()
            call.giveUp()
            // A result that arrives now is still the truth; a failure is the timeout's.
            while let outcome = try? await group.next() {
                if case .finished(let value) = outcome { return value }
            }
            if cancelled { throw CancellationError() }
            throw StoreError.timedOut(limit)
        }
    }

    private enum Outcome<T: Sendable>: Sendable {
        case finished(T)
        case timeUp
    }

    /// The call holds `connection` now (nil: it gives it back). A connection taken after
    /// the call was given up on is closed at once.
    func holds(_ connection: PostgresConnection?) {
        state.withLock { state in
            state.connection = connection
            if state.givenUp { state.connection?.closeSoon() }
        }
    }

    /// Closes the connection the call holds, if any; under the lock, so it cannot have been
    /// handed back to the pool meanwhile.
    private func giveUp() {
        state.withLock { state in
            state.givenUp = true
            state.connection?.closeSoon()
        }
    }
}

extension PostgresConnection {
    /// Starts closing the connection without waiting for it.
    fileprivate func closeSoon() {
        let _: EventLoopFuture<Void> = close()
    }
}
