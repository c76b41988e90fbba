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
/// - A statement already sent is not cancelled by PostgresNIO (nor is reading its rows): if
///   the call still holds its connection `grace` after the timeout, the connection is
///   closed, which fails the statement. Only once the call's last statement was sent at
///   least `grace` ago, because PostgresNIO loses a statement written to a connection that
///   closed (see `checkedQuery`): the close must not race the write.
///
/// The same happens when the caller is cancelled, with `CancellationError`.
final class PostgresCall: Sendable {
    /// The call the current task runs, for `withConnection` and `checkedQuery` to report to.
    @TaskLocal static var current: PostgresCall?

    private struct State {
        /// The connection the call holds, while it holds it.
        var connection: PostgresConnection?
        /// When the call's last statement was sent.
        var sentAt: NIODeadline?
        var ended = false
    }

    private let state = Mutex(State())

    /// Runs `body` within `limit`.
    static func run<T: Sendable>(within limit: Duration, grace: Duration,
                                 _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let call = PostgresCall()
        defer { call.state.withLock { $0.ended = true } }
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
            call.closeWhenStuck(grace: grace)
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

    /// The call holds `connection` now (nil: it gave it back).
    func holds(_ connection: PostgresConnection?) {
        state.withLock { $0.connection = connection }
    }

    /// The call is sending a statement.
    func sending() {
        state.withLock { $0.sentAt = .now() }
    }

    /// From now on, every `grace`: if the call still holds a connection and sent nothing on
    /// it for `grace`, closes it. Checks run as scheduled callbacks on an event
    /// loop (no task), until the call ends.
    private func closeWhenStuck(grace: Duration) {
        let interval = TimeAmount.nanoseconds(Int64(grace.components.seconds) * 1_000_000_000
                                              + grace.components.attoseconds / 1_000_000_000)
        let loop = PostgresConnection.defaultEventLoopGroup.any()
        loop.scheduleTask(in: interval) { self.check(every: interval, on: loop) }
    }

    private func check(every interval: TimeAmount, on loop: any EventLoop) {
        let waiting = state.withLock { state -> Bool in
            guard !state.ended else { return false }
            if let connection = state.connection, state.sentAt.map({ .now() - $0 >= interval }) ?? true {
                // Under the lock, so the connection cannot have been handed back meanwhile.
                let _: EventLoopFuture<Void> = connection.close()
                return false
            }
            return true
        }
        if waiting { loop.scheduleTask(in: interval) { self.check(every: interval, on: loop) } }
    }
}
