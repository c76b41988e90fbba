import HTTPTypes
import Hummingbird
import SpectralCatalog
import Synchronization

/// API-key (and optionally JWT) authentication, scopes and per-caller rate limits.
///
/// A request presents `Authorization: Bearer spk_…` or `X-API-Key: spk_…`. Keys are looked
/// up by their public id and checked against the stored hash; existing keys are cached for
/// `cacheLifetime` (so a revoked key stops working within it), unknown ids never are. Each
/// caller has a token bucket holding one second of its rate.
///
/// Unauthenticated traffic is bounded before it reaches the store: failures are counted
/// per client address (`FailureLimiter`), and lookups of ids not in the cache share one
/// budget across all clients (`lookupsPerSecond`); past either, 429 without a query.
///
/// `off` is the embedded demo mode: everything is allowed, and /health and the log say so.
public final class Authenticator: Sendable {
    public enum Mode: Sendable { case off, apiKeys }

    /// The bounds on unauthenticated traffic; defaults suit production.
    public struct Limits: Sendable {
        /// Failed authentications per client address: a burst, then a rate.
        public var failureBurst: Double = 20
        public var failuresPerSecond: Double = 2
        /// Client addresses tracked at once.
        public var trackedAddresses = 10_000
        /// Store lookups of ids not in the cache, across all clients.
        public var lookupsPerSecond: Double = 200
        /// Valid keys cached at once.
        public var cachedKeys = 10_000

        public init() {}
    }

    /// Callers whose rate buckets are kept at once (idle ones are dropped past it).
    static let maxCallerBuckets = 10_000

    public let mode: Mode
    private let keys: any KeyRepository
    private let cache: KeyCache
    private let failures: FailureLimiter
    private let lookups: Mutex<TokenBucket>
    private let callerBuckets = Mutex<[String: TokenBucket]>([:])
    private let jwt: JWTVerifier?
    private let jwtRatePerSecond: Double

    public init(mode: Mode, keys: any KeyRepository, cacheLifetime: Duration = .seconds(10), limits: Limits = Limits(),
                jwt: JWTVerifier? = nil, jwtRatePerSecond: Double = 1000) {
        self.mode = mode
        self.keys = keys
        cache = KeyCache(lifetime: cacheLifetime, capacity: limits.cachedKeys)
        failures = FailureLimiter(ratePerSecond: limits.failuresPerSecond, burst: limits.failureBurst, capacity: limits.trackedAddresses)
        lookups = Mutex(TokenBucket(ratePerSecond: limits.lookupsPerSecond))
        self.jwt = jwt
        self.jwtRatePerSecond = jwtRatePerSecond
    }

    /// Checks the request's credentials grant `scope` and are within their rate; returns
    /// the caller (nil in demo mode).
    func authenticate(_ request: Request, address: @autoclosure () -> String, scope: Scope) async throws(APIError) -> Caller? {
        try await authenticate(request, address: address(), anyOf: [scope])
    }

    /// The same, for a route any of several scopes may use (an authoring task is read by
    /// its `author` and by `audit`). `address`, the client's, by which failures are limited,
    /// is worked out only for a request that neither the mode nor a cached key lets through.
    func authenticate(_ request: Request, address clientAddress: @autoclosure () -> String, anyOf scopes: [Scope]) async throws(APIError) -> Caller? {
        guard mode == .apiKeys else { return nil }
        // A key already in the cache that matches gets through whatever its address did:
        // a client behind the same NAT as a guesser is not locked out with it.
        if let caller = try cachedCaller(request) { return try granted(caller, scopes) }
        let address = clientAddress()
        if let wait = failures.waitBeforeTrying(address) {
            throw APIError(.tooManyRequests, code: "too_many_failures",
                           "too many failed authentications from this address", retryAfterSeconds: Int(wait.rounded(.up)))
        }
        let caller: Caller
        do {
            caller = try await verify(request)
        } catch {
            if error.status == .unauthorized { failures.recordFailure(address) }
            throw error
        }
        return try granted(caller, scopes)
    }

    private func granted(_ caller: Caller, _ scopes: [Scope]) throws(APIError) -> Caller {
        guard scopes.contains(where: caller.grants) else {
            let names = scopes.map { "'\($0.rawValue)'" }.joined(separator: " or ")
            throw APIError(.forbidden, code: "forbidden", "this \(caller.id.hasPrefix("jwt:") ? "token" : "key") lacks the \(names) scope")
        }
        return caller
    }

    /// The caller of a presented API key whose record is fresh in the cache and matches,
    /// within its rate; nil when the cache cannot decide (then the full path runs).
    private func cachedCaller(_ request: Request) throws(APIError) -> Caller? {
        guard let key = Self.presentedKey(request), let id = APIKeyRecord.id(of: key), let record = cache.fresh(id),
              record.revokedAt == nil, record.matches(key) else { return nil }
        try limit(id, ratePerSecond: record.ratePerSecond)
        return Caller(id: id, scopes: record.scopes)
    }

    /// The caller the credentials prove, within its rate.
    private func verify(_ request: Request) async throws(APIError) -> Caller {
        guard let key = Self.presentedKey(request) else {
            throw APIError(.unauthorized, code: "unauthenticated", "an API key is required: Authorization: Bearer spk_… or X-API-Key")
        }
        if let jwt, JWTVerifier.looksLikeJWT(key) {
            let claims: JWTVerifier.Claims
            do { claims = try await jwt.verify(key) } catch {
                throw APIError(.unauthorized, code: "invalid_token", "the token is not valid: \(error)")
            }
            let caller = Caller(id: "jwt:\(claims.subject)", scopes: claims.scopes)
            try limit(caller.id, ratePerSecond: jwtRatePerSecond)
            return caller
        }
        guard let id = APIKeyRecord.id(of: key), let record = try await record(id, presented: key), record.revokedAt == nil, record.matches(key) else {
            throw APIError(.unauthorized, code: "invalid_key", "the API key is not valid")
        }
        try limit(id, ratePerSecond: record.ratePerSecond)
        return Caller(id: id, scopes: record.scopes)
    }

    /// Takes a token from the caller's bucket; 429 when it is empty. Only authenticated
    /// callers get a bucket; past `maxCallerBuckets` (JWT subjects are unbounded in
    /// number) idle callers' buckets are dropped. A changed rate takes effect at once.
    private func limit(_ caller: String, ratePerSecond: Double) throws(APIError) {
        let wait = callerBuckets.withLock { buckets -> Double? in
            var bucket = buckets[caller].flatMap { $0.ratePerSecond == TokenBucket.effectiveRate(ratePerSecond) ? $0 : nil }
                ?? TokenBucket(ratePerSecond: ratePerSecond)
            defer {
                if buckets[caller] == nil, buckets.count >= Self.maxCallerBuckets {
                    buckets = buckets.filter { _, bucket in var bucket = bucket; return !bucket.isFull() }
                }
                buckets[caller] = bucket
            }
            return bucket.take()
        }
        if let wait {
            throw APIError(.tooManyRequests, code: "rate_limited",
                           "\(caller) is limited to \(ratePerSecond) requests per second", retryAfterSeconds: Int(wait.rounded(.up)))
        }
    }

    /// Charges an admitted caller for `count` more requests than the one its admission
    /// took: a batch of N decisions costs N, so batching does not multiply a key's rate.
    /// The bucket may go into debt; the caller's next requests wait it out.
    func charge(_ caller: Caller?, additionalRequests count: Int) {
        guard let caller, count > 0 else { return }
        callerBuckets.withLock { buckets in buckets[caller.id]?.charge(Double(count)) }
    }

    /// The key record of `id`, for a key the cache could not accept: from the store if the
    /// shared lookup budget allows, else a stale cached record that matches, else 429.
    /// Never the fresh cached record: it was just checked (`cachedCaller`), and answering
    /// a wrong secret for a known id from memory would be measurably faster than an
    /// unknown id's store lookup, telling a guesser which ids exist. Both take one lookup.
    private func record(_ id: String, presented key: String) async throws(APIError) -> APIKeyRecord? {
        if let wait = lookups.withLock({ $0.take() }) {
            if let stale = cache.stale(id), stale.matches(key) { return stale }
            throw APIError(.tooManyRequests, code: "rate_limited", "too many key lookups; retry shortly",
                           retryAfterSeconds: Int(wait.rounded(.up)))
        }
        do {
            let record = try await keys.apiKey(id: id)
            if let record { cache.insert(record) }
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
