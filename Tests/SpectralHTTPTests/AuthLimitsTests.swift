@testable import SpectralHTTP
import SpectralCatalog
import Testing

/// The bounds on unauthenticated traffic, with time passed in.
@Suite struct AuthLimitsTests {
    let start = ContinuousClock.now

    @Test func failuresAreLimitedPerClientAndRefill() {
        let limiter = FailureLimiter(ratePerSecond: 2, burst: 3, capacity: 10)
        for _ in 0..<3 { limiter.recordFailure("10.0.0.1", now: start) }
        #expect(limiter.waitBeforeTrying("10.0.0.1", now: start) == 0.5)
        #expect(limiter.waitBeforeTrying("10.0.0.2", now: start) == nil, "another client is not affected")
        #expect(limiter.waitBeforeTrying("10.0.0.1", now: start + .milliseconds(500)) == nil, "one failure refilled")
        // An IPv6 client is its /64: other hosts in it share its bucket.
        for _ in 0..<3 { limiter.recordFailure("2001:db8:1:2::5", now: start) }
        #expect(limiter.waitBeforeTrying("2001:db8:1:2:ffff::9", now: start) != nil)
        #expect(limiter.waitBeforeTrying("2001:db8:1:3::5", now: start) == nil)
        #expect(FailureLimiter.client(of: "2001:db8::1") == "2001:db8:0:0::/64")
    }

    /// Full of fresh failures: a new client is not tracked, and never throttled on others'
    /// account; idle clients are swept out at most once a second.
    @Test func aFullTableNeitherGrowsNorLocksOutNewClients() {
        let limiter = FailureLimiter(ratePerSecond: 1, burst: 1, capacity: 100)
        for i in 0..<1_000 { limiter.recordFailure("10.1.\(i / 256).\(i % 256)", now: start) }
        #expect(limiter.trackedClients == 100)
        #expect(limiter.waitBeforeTrying("10.9.9.9", now: start) == nil)
        // After the buckets refill, the next failure sweeps them out and is tracked.
        limiter.recordFailure("10.9.9.9", now: start + .seconds(5))
        #expect(limiter.trackedClients == 1)
    }

    @Test func keyCacheKeepsOnlyExistingKeysBoundedAndStaleOnlyBriefly() {
        let cache = KeyCache(lifetime: .seconds(10), capacity: 2)
        let keys = (0..<3).map { APIKeyRecord.issue(name: "k\($0)", scopes: ["decide"], ratePerSecond: 10).record }
        cache.insert(keys[0], now: start)
        cache.insert(keys[1], now: start + .seconds(1))
        cache.insert(keys[2], now: start + .seconds(2))
        #expect(cache.count == 2, "the oldest went")
        #expect(cache.fresh(keys[0].id, now: start + .seconds(2)) == nil)
        #expect(cache.fresh(keys[2].id, now: start + .seconds(11)) == keys[2])
        #expect(cache.fresh(keys[2].id, now: start + .seconds(13)) == nil)
        #expect(cache.stale(keys[2].id, now: start + .seconds(60)) == keys[2])
        #expect(cache.stale(keys[2].id, now: start + .seconds(73)) == nil, "a revoked key cannot live on")
    }

    @Test func bucketsRefuseNothingForeverAndRefillAtTheirRate() {
        var zero = TokenBucket(ratePerSecond: 0, now: start)
        #expect(zero.take(now: start) == nil)
        #expect(zero.take(now: start) == 1_000, "a rate of 0 waits 1,000 s, not forever")
        var bucket = TokenBucket(ratePerSecond: 4, now: start)
        for _ in 0..<4 { #expect(bucket.take(now: start) == nil) }
        #expect(bucket.take(now: start) == 0.25)
        #expect(bucket.take(now: start + .milliseconds(250)) == nil)
    }
}
