import Hummingbird
import NIOCore

/// Reads a request body once, bounded: the bytes up to `limit`, or nothing.
///
/// Every request's body is read to its end before anything answers, kept or not. Why: a
/// client that sends its whole body before reading (Python's `urllib`, with `Connection:
/// close`) never sees a response written while its body was still unread — Hummingbird
/// stops reading a `Connection: close` request once it has answered, the client blocks in
/// `send`, and both wait for a timeout. An oversized body is read and discarded up to
/// `limit + drainAllowance` bytes and answered 413; a client sending past that is cut off:
/// the connection is closed (Hummingbird would otherwise read on, to the end of the body).
///
/// A body must arrive within the deadlines' timeout of the head: a connection still sending
/// one after that is closed (`BodyDeadlines`), which ends the read with an error. (The
/// server's idle timeout closes a connection that goes quiet; this bounds one that trickles
/// a byte just often enough.)
struct BodyReader {
    let limit: Int
    let drainAllowance: Int
    let deadlines: BodyDeadlines

    /// The body's bytes, or 413 past the limit.
    func collect(_ request: Request, context: APIRequestContext) async throws -> ByteBuffer {
        let ticket = deadlines.start(context.channel)
        defer { deadlines.finish(ticket) }
        var iterator = request.body.makeAsyncIterator()
        guard var collected = try await iterator.next() else { return ByteBuffer() }
        var read = collected.readableBytes
        while let chunk = try await iterator.next() {
            read += chunk.readableBytes
            if read <= limit {
                var chunk = chunk
                collected.writeBuffer(&chunk)
            } else {
                try await discard(remainder: &iterator, read: read, context: context)
                throw APIError.tooLarge(limit)
            }
        }
        guard read <= limit else { throw APIError.tooLarge(limit) }
        return collected
    }

    /// Reads the body to its end keeping nothing: before refusing a request unread.
    func discard(_ request: Request, context: APIRequestContext) async throws {
        let ticket = deadlines.start(context.channel)
        defer { deadlines.finish(ticket) }
        var iterator = request.body.makeAsyncIterator()
        try await discard(remainder: &iterator, read: 0, context: context)
    }

    private func discard(remainder iterator: inout RequestBody.AsyncIterator, read: Int, context: APIRequestContext) async throws {
        var read = read
        while let chunk = try await iterator.next() {
            read += chunk.readableBytes
            if read > limit + drainAllowance {
                context.channel?.close(promise: nil)
                var error = APIError.tooLarge(limit)
                error.closesConnection = true
                throw error
            }
        }
    }
}
