import Logging
import PostgresNIO

extension PostgresConnection {
    /// The connection closed under a call: its pool was replaced after a timeout, or the
    /// server went away. Transient, like the driver's own connection errors.
    struct Closed: Error, CustomStringConvertible {
        var description: String { "the database connection was closed" }
    }

    /// `query`, refused when the call has been given up on (cancelled: it timed out, or its
    /// caller was cancelled) or the connection has closed, and reported to the call
    /// (`PostgresCall`) as it is sent.
    ///
    /// PostgresNIO 1.33 writes a statement without a write promise, so one written after the
    /// channel has closed (and lost its handlers) is dropped and its caller waits forever;
    /// and it ignores task cancellation while a statement runs. So the store closes a
    /// connection under a call only once the call has sent nothing for a while (its last
    /// write long done), and a call stops sending statements once it is cancelled. (What is
    /// left is a call preempted for that while between this check and PostgresNIO's write.)
    @discardableResult
    func checkedQuery(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> PostgresRowSequence {
        try Task.checkCancellation()
        guard !isClosed else { throw Closed() }
        PostgresCall.current?.sending()
        return try await self.query(query, logger: logger, file: file, line: line)
    }
}
