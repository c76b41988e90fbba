import Hummingbird

/// Authenticates the request and requires `scope` before the handler runs; the caller is
/// put in the context. Registered per route group, so no handler can forget it.
struct ScopeMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let authenticator: Authenticator
    let scope: Scope

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.caller = try await authenticator.authenticate(request, address: context.clientAddress, scope: scope)
        return try await next(request, context)
    }
}
