import Hummingbird
import Logging

/// Every failure leaves as `{"error": {"code", "message"}}`: API errors as they are,
/// Hummingbird's own (unknown route, wrong method) mapped to the same shape, anything else
/// a 500 whose details go to the log, not the client. Counts errors by code.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            if response.status == .notFound { return respond(APIError.notFound("no route \(request.method) \(request.uri.path)"), request, context) }
            return response
        } catch let error as APIError {
            return respond(error, request, context)
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not_found" : error.status == .methodNotAllowed ? "method_not_allowed" : "http_\(error.status.code)"
            return respond(APIError(error.status, code: code, error.body ?? error.status.reasonPhrase), request, context)
        } catch {
            logger.error("unhandled error", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return respond(APIError(.internalServerError, code: "internal", "internal error"), request, context)
        }
    }

    private func respond(_ error: APIError, _ request: Request, _ context: Context) -> Response {
        metrics.recordError(code: error.code)
        return (try? error.response(from: request, context: context)) ?? JSONResponse.make(error.jsonValue, status: error.status)
    }
}
