import HTTPTypes
import Hummingbird
import SpectralStore
import Synchronization

/// API-key (and optionally JWT) authentication, scopes and per-caller rate limits.
///
/// A request presents `Authorization: Bearer spk_…` or `X-API-Key: spk_…`. Keys are looked
/// up by their public id and checked against the stored hash; records are cached for
/// `cacheLifetime`, so a revoked key stops working within it. Each key has a token bucket
/// holding one second of its rate.
///
/// `off` is the embedded demo mode: everything is allowed, and /health and the log say so.
public final class Authenticator: Sendable {
    public enum Mode: Sendable { case off, apiKeys }

    public let mode: Mode
    private let store: any Store
    private let cacheLifetime: Duration
    private let cache = Mutex<[String: (record: APIKeyRecord?, fetched: ContinuousClock.Instant)]>([:])
    private let buckets = Mutex<[String: TokenBucket]>([:])

    private let jwt: JWTVerifier?
    private let jwtRatePerSecond: Double

    public init(mode: Mode, store: any Store, cacheLifetime: Duration = .seconds(10), jwt: JWTVerifier? = nil,
                jwtRatePerSecond: Double = 1000) {
        self.mode = mode
        self.store = store
        self.cacheLifetime = cacheLifetime
        self.jwt = jwt
        self.jwtRatePerSecond = jwtRatePerSecond
    }

    /// Checks the request's key grants `scope` and is within its rate; returns the key id.
    @discardableResult
    func authorize(_ request: Request, scope: String) async throws(APIError) -> String? {
        guard mode == .apiKeys else { return nil }
        guard let key = Self.presentedKey(request) else {
            throw APIError(.unauthorized, code: "unauthenticated", "an API key is required: Authorization: Bearer spk_… or X-API-Key")
        }
        if let jwt, JWTVerifier.looksLikeJWT(key) {
            let claims: JWTVerifier.Claims
            do { claims = try jwt.verify(key) } catch {
                throw APIError(.unauthorized, code: "invalid_token", "the token is not valid: \(error)")
            }
            guard claims.scopes.contains(scope) || claims.scopes.contains("admin") else {
                throw APIError(.forbidden, code: "forbidden", "this token lacks the '\(scope)' scope")
            }
            return try limit("jwt:\(claims.subject)", ratePerSecond: jwtRatePerSecond)
        }
        guard let id = APIKeyRecord.id(of: key), let record = try await record(id), record.revokedAt == nil, record.matches(key) else {
            throw APIError(.unauthorized, code: "invalid_key", "the API key is not valid")
        }
        guard record.grants(scope) else {
            throw APIError(.forbidden, code: "forbidden", "this key lacks the '\(scope)' scope")
        }
        return try limit(id, ratePerSecond: record.ratePerSecond)
    }

    /// Takes a token from the caller's bucket; 429 when it is empty.
    private func limit(_ caller: String, ratePerSecond: Double) throws(APIError) -> String {
        let wait = buckets.withLock { buckets -> Double? in
            var bucket = buckets[caller] ?? TokenBucket(ratePerSecond: ratePerSecond)
            defer { buckets[caller] = bucket }
            return bucket.take()
        }
        if let wait {
            throw APIError(.tooManyRequests, code: "rate_limited",
                           "\(caller) is limited to \(ratePerSecond) requests per second", retryAfterSeconds: Int(wait.rounded(.up)))
        }
        return caller
    }

    private func record(_ id: String) async throws(APIError) -> APIKeyRecord? {
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0[id] }), now - cached.fetched < cacheLifetime { return cached.record }
        do {
            let record = try await store.apiKey(id: id)
            cache.withLock { $0[id] = (record, now) }
            return record
        } catch {
            throw APIError.storeUnavailable(error)
        }
    }

    static func presentedKey(_ request: Request) -> String? {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") { return String(header.dropFirst(7)) }
        return request.headers[HTTPField.Name("X-API-Key")!]
    }
}

/// Tokens refill at `ratePerSecond` up to one second's worth (at least one).
struct TokenBucket {
    let ratePerSecond: Double
    let capacity: Double
    var tokens: Double
    var updated: ContinuousClock.Instant

    init(ratePerSecond: Double) {
        self.ratePerSecond = ratePerSecond
        capacity = max(1, ratePerSecond)
        tokens = capacity
        updated = .now
    }

    /// Takes a token; nil when one was available, otherwise the seconds until one is.
    mutating func take() -> Double? {
        let now = ContinuousClock.now
        let seconds = (now - updated).inSeconds
        tokens = min(capacity, tokens + seconds * ratePerSecond)
        updated = now
        guard tokens >= 1 else { return (1 - tokens) / ratePerSecond }
        tokens -= 1
        return nil
    }
}
