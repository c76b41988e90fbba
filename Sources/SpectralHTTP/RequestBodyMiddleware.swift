import Hummingbird
import NIOCore

/// Reads every request body before anything answers, up to `limit` bytes, and replaces the
/// stream with the bytes read.
///
/// Why before: a client that sends its whole body before reading (Python's `urllib`, with
/// `Connection: close`) never sees a response the server wrote while the body was still
/// unread — Hummingbird stops reading a `Connection: close` request once it has answered,
/// the client blocks in `send`, and both wait for a timeout. So an oversized body is read
/// and discarded up to `limit + drainAllowance` bytes, then answered 413; only a client
/// sending past that allowance is cut off (`Connection: close`) without reading the rest.
/// The same holds for errors before the handler reads anything (401, 404, 405).
struct RequestBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int
    let drainAllowance: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var iterator = request.body.makeAsyncIterator()
        // The stream can be iterated once: whatever happens, the request carries bytes onward.
        guard var collected = try await iterator.next() else {
            request.body = RequestBody(buffer: ByteBuffer())
            return try await next(request, context)
        }
        var tooLarge = collected.readableBytes > limit
        var discarded = 0
        while let chunk = try await iterator.next() {
            if !tooLarge, collected.readableBytes + chunk.readableBytes <= limit {
                var chunk = chunk
                collected.writeBuffer(&chunk)
                continue
            }
            tooLarge = true
            discarded += chunk.readableBytes
            if discarded > drainAllowance {
                var error = APIError.tooLarge(limit)
                error.closesConnection = true
                throw error
            }
        }
        if tooLarge { throw APIError.tooLarge(limit) }
        request.body = RequestBody(buffer: collected)
        return try await next(request, context)
    }
}
