import Synchronization

/// Limits failed authentications per client address, so guessing keys costs the guesser,
/// not the store: each address may fail `burst` times at once and then `ratePerSecond`
/// times a second; past that its requests carrying credentials are answered 429 before
/// any lookup. At most `capacity` addresses are tracked; when full, idle addresses (whose
/// buckets have refilled) are forgotten, and if none is idle new addresses share one
/// overflow bucket — memory stays bounded whatever the number of addresses.
final class FailureLimiter: Sendable {
    static let overflowAddress = "(overflow)"

    let ratePerSecond: Double
    let burst: Double
    let capacity: Int
    private let buckets = Mutex<[String: TokenBucket]>([:])

    init(ratePerSecond: Double, burst: Double, capacity: Int) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.capacity = max(1, capacity)
    }

    var trackedAddresses: Int { buckets.withLock { $0.count } }

    /// Seconds until `address` may fail again; nil when it may try now.
    func waitBeforeTrying(_ address: String, now: ContinuousClock.Instant = .now) -> Double? {
        buckets.withLock { buckets in
            let key = buckets[address] == nil && buckets.count >= capacity ? Self.overflowAddress : address
            guard var bucket = buckets[key] else { return nil }
            let wait = bucket.wait(now: now)
            buckets[key] = bucket
            return wait
        }
    }

    /// Counts one failure against `address`.
    func recordFailure(_ address: String, now: ContinuousClock.Instant = .now) {
        buckets.withLock { buckets in
            var key = address
            if buckets[key] == nil, buckets.count >= capacity {
                buckets = buckets.filter { _, bucket in var bucket = bucket; return !bucket.isFull(now: now) }
                if buckets.count >= capacity { key = Self.overflowAddress }
            }
            var bucket = buckets[key] ?? TokenBucket(ratePerSecond: ratePerSecond, capacity: burst, now: now)
            _ = bucket.take(now: now)
            buckets[key] = bucket
        }
    }
}
