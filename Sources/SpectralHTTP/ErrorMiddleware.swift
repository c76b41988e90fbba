import Hummingbird
import Logging

/// Every failure leaves as `{"error": {"code", "message"}}`: API errors as they are,
/// Hummingbird's own mapped to the same shape, an unserved method on a known path as 405
/// with `Allow`, anything else a 500 whose details go to the log, not the client. Counts
/// errors by code.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let metrics: ServerMetrics
    let routes: RouteTable
    /// No route's middleware read the body of a request no route serves: it is read here,
    /// kept by nobody, before the 404 or 405 (see `BodyReader`).
    let body: BodyReader
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            if response.status == .notFound { return try await respond(unrouted(request, context), request, context) }
            return response
        } catch let error as APIError {
            return respond(error, request, context)
        } catch let error as HTTPError {
            if error.status == .notFound { return try await respond(unrouted(request, context), request, context) }
            let code = error.status == .methodNotAllowed ? "method_not_allowed" : "http_\(error.status.code)"
            return respond(APIError(error.status, code: code, error.body ?? error.status.reasonPhrase), request, context)
        } catch {
            logger.error("unhandled error", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return respond(APIError(.internalServerError, code: "internal", "internal error"), request, context)
        }
    }

    /// 405 when the path is served with other methods, else 404; the body read first.
    private func unrouted(_ request: Request, _ context: Context) async throws -> APIError {
        do { try await body.discard(request, context: context) } catch let error as APIError { return error }
        let allowed = routes.methods(at: request.uri.path)
        guard !allowed.isEmpty else { return APIError.notFound("no route \(request.method) \(request.uri.path)") }
        var error = APIError(.methodNotAllowed, code: "method_not_allowed",
                             "\(request.uri.path) does not serve \(request.method); it serves \(allowed.map(\.rawValue).joined(separator: ", "))")
        error.allow = allowed.map(\.rawValue)
        return error
    }

    private func respond(_ error: APIError, _ request: Request, _ context: Context) -> Response {
        metrics.recordError(code: error.code)
        if let detail = error.logDetail {
            logger.warning("request failed", metadata: ["path": "\(request.uri.path)", "code": "\(error.code)", "detail": "\(detail)"])
        }
        return (try? error.response(from: request, context: context)) ?? JSONResponse.make(error.jsonValue, status: error.status)
    }
}
