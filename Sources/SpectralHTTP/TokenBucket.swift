/// Tokens refill at `ratePerSecond` up to `capacity` (by default one second's worth, at
/// least one). Times are passed in, so tests need no clock.
struct TokenBucket {
    let ratePerSecond: Double
    let capacity: Double
    private(set) var tokens: Double
    private var updated: ContinuousClock.Instant

    init(ratePerSecond: Double, capacity: Double? = nil, now: ContinuousClock.Instant = .now) {
        let ratePerSecond = Self.effectiveRate(ratePerSecond)
        self.ratePerSecond = ratePerSecond
        self.capacity = max(1, capacity ?? ratePerSecond)
        tokens = self.capacity
        updated = now
    }

    /// The rate a bucket keeps for a configured one: a stored rate of 0 (or less, or not a
    /// number) would make every wait infinite, so a thousandth of a request a second is the
    /// least there is.
    static func effectiveRate(_ rate: Double) -> Double {
        rate.isFinite ? max(rate, 0.001) : 1
    }

    private mutating func refill(now: ContinuousClock.Instant) {
        tokens = min(capacity, tokens + (now - updated).inSeconds * ratePerSecond)
        updated = now
    }

    /// Takes a token; nil when one was available, otherwise the seconds until one is.
    mutating func take(now: ContinuousClock.Instant = .now) -> Double? {
        if let wait = wait(now: now) { return wait }
        tokens -= 1
        return nil
    }

    /// Takes `count` tokens at once, which may leave the bucket in debt: a request that
    /// stands for many (a batch of decisions) is admitted on one token like any other,
    /// and the rest is paid by waiting before the next. Nothing is refused here.
    mutating func charge(_ count: Double, now: ContinuousClock.Instant = .now) {
        refill(now: now)
        tokens -= count
    }

    /// The seconds until a token is available, nil when one is now; takes nothing.
    mutating func wait(now: ContinuousClock.Instant = .now) -> Double? {
        refill(now: now)
        return tokens >= 1 ? nil : (1 - tokens) / ratePerSecond
    }

    /// True when the bucket has refilled completely: its owner has been idle.
    mutating func isFull(now: ContinuousClock.Instant = .now) -> Bool {
        refill(now: now)
        return tokens >= capacity
    }
}
