import Logging
import NIOCore
import PostgresNIO

extension PostgresConnection {
    /// The connection closed under a call: the server went away, or the call timed out.
    /// Transient, like the driver's own connection errors.
    struct Closed: Error, CustomStringConvertible {
        var description: String { "the database connection was closed" }
    }

    /// `query`, refused when the call has been given up on (cancelled: it timed out, or its
    /// caller was cancelled) or the connection has closed.
    ///
    /// PostgresNIO 1.33 writes a statement without a write promise: one written after the
    /// channel has closed (and lost its handlers) is dropped, and its caller waits forever,
    /// deaf to cancellation. A server that restarts closes connections at any moment, so the
    /// check and the write run on the connection's event loop (as the task executor), where
    /// PostgresNIO's write is synchronous: no close can come between them. A close after the
    /// write fails the statement as it should.
    @discardableResult
    func checkedQuery(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> PostgresRowSequence {
        try Task.checkCancellation()
        return try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop)) {
            guard !isClosed else { throw Closed() }
            return try await self.query(query, logger: logger, file: file, line: line)
        }
    }
}
