import Hummingbird

/// What every route group's requests pass before their handler: authentication and the
/// scope the group needs (any one of `scopes`; none listed: no authentication), then the
/// body, read whole and bounded.
///
/// Credentials are checked on the headers first, so an unauthenticated request's body is
/// read only to be discarded — nothing it sends is kept — and then refused. The caller is
/// put in the context; the handler finds the body's bytes in the request.
struct AdmissionMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let authenticator: Authenticator
    let scopes: [Scope]
    let body: BodyReader

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if !scopes.isEmpty {
            do {
                context.caller = try await authenticator.authenticate(request, address: context.clientAddress, anyOf: scopes)
            } catch {
                try await body.discard(request, context: context)
                throw error
            }
        }
        var request = request
        request.body = RequestBody(buffer: try await body.collect(request, context: context))
        return try await next(request, context)
    }
}
