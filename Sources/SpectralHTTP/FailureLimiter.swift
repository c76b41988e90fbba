import Synchronization

/// Limits failed authentications per client, so guessing keys costs the guesser, not the
/// store: each client may fail `burst` times at once and then `ratePerSecond` times a
/// second; past that its requests are answered 429 before any lookup (a valid key already
/// in the cache still gets through: see `Authenticator`).
///
/// A client is its address, an IPv6 one by its /64 (one host holds a whole /64). At most
/// `capacity` clients are tracked; when the table is full, clients whose buckets have
/// refilled are swept out (at most once a second, so a flood of new addresses cannot make
/// every failure a full scan), and a client that still finds no room is not tracked —
/// never throttled on someone else's account. What then protects the store is the
/// authenticator's shared lookup budget.
final class FailureLimiter: Sendable {
    let ratePerSecond: Double
    let burst: Double
    let capacity: Int

    private struct State {
        var buckets: [String: TokenBucket] = [:]
        var nextSweep: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    init(ratePerSecond: Double, burst: Double, capacity: Int) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.capacity = max(1, capacity)
    }

    var trackedClients: Int { state.withLock { $0.buckets.count } }

    /// Seconds until `address` may fail again; nil when it may try now.
    func waitBeforeTrying(_ address: String, now: ContinuousClock.Instant = .now) -> Double? {
        let client = Self.client(of: address)
        return state.withLock { state in
            guard var bucket = state.buckets[client] else { return nil }
            let wait = bucket.wait(now: now)
            state.buckets[client] = bucket
            return wait
        }
    }

    /// Counts one failure against `address`.
    func recordFailure(_ address: String, now: ContinuousClock.Instant = .now) {
        let client = Self.client(of: address)
        state.withLock { state in
            if state.buckets[client] == nil, state.buckets.count >= capacity {
                guard now >= state.nextSweep ?? now else { return }
                state.nextSweep = now + .seconds(1)
                state.buckets = state.buckets.filter { _, bucket in var bucket = bucket; return !bucket.isFull(now: now) }
                guard state.buckets.count < capacity else { return }
            }
            var bucket = state.buckets[client] ?? TokenBucket(ratePerSecond: ratePerSecond, capacity: burst, now: now)
            _ = bucket.take(now: now)
            state.buckets[client] = bucket
        }
    }

    /// The client an address stands for: an IPv4 address itself, an IPv6 address its /64.
    static func client(of address: String) -> String {
        guard address.contains(":") else { return address }
        let expanded = expandIPv6(address)
        return expanded.prefix(4).joined(separator: ":") + "::/64"
    }

    /// The eight groups of an IPv6 address (`::` expanded); a malformed one as it is.
    private static func expandIPv6(_ address: String) -> [String] {
        let halves = address.split(separator: "::", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let head = halves[0].split(separator: ":").map(String.init)
        let tail = halves.count > 1 ? halves[1].split(separator: ":").map(String.init) : []
        let missing = max(0, 8 - head.count - tail.count)
        return head + Array(repeating: "0", count: halves.count > 1 ? missing : 0) + tail
    }
}
