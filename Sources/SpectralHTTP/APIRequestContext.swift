import Hummingbird
import NIOCore

/// The request context every route sees: Hummingbird's core storage, the client's address
/// (for limits on unauthenticated traffic), and the authenticated caller, set by
/// `AdmissionMiddleware` before a handler runs.
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection, to cut off a client that sends far past the body limit.
    let channel: (any Channel)?
    /// The peer of the connection; nil in router-level tests, which run without sockets.
    /// Asked of the channel when needed (an authentication to limit), not for every request.
    public var remoteAddress: SocketAddress? { channel?.remoteAddress }
    /// Who is calling: nil only in the embedded demo mode, where nothing is checked.
    public var caller: Caller?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }

    /// The address failed authentications are counted against: the IP without the port.
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}

/// An authenticated caller: an API key (its public id) or a JWT subject (`jwt:sub`), with
/// the scopes it was granted.
public struct Caller: Sendable, Equatable {
    public var id: String
    public var scopes: [String]

    /// `admin` implies every other scope.
    func grants(_ scope: Scope) -> Bool { scopes.contains(scope.rawValue) || scopes.contains(Scope.admin.rawValue) }
}

/// What a route needs. `admin` implies the others; `audit` reads the decision log.
public enum Scope: String, Sendable, CaseIterable {
    case decide, author, audit, admin
}
