import SpectralCatalog
import Synchronization

/// Key records looked up recently, trusted for `lifetime` (the revocation delay), at most
/// `capacity` of them. Only keys that exist are kept: an unknown id is never cached, so
/// forged ids cannot grow it (the failed-authentication limiter bounds how often they
/// reach the store instead).
final class KeyCache: Sendable {
    private struct Entry {
        var record: APIKeyRecord
        var fetched: ContinuousClock.Instant
    }

    let lifetime: Duration
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(lifetime: Duration, capacity: Int) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.withLock { $0.count } }

    /// The record of `id` if it was fetched within the lifetime.
    func fresh(_ id: String, now: ContinuousClock.Instant = .now) -> APIKeyRecord? {
        entries.withLock { entries in
            guard let entry = entries[id], now - entry.fetched < lifetime else { return nil }
            return entry.record
        }
    }

    /// The record of `id` up to `maxStaleness` past its lifetime: served when the store may
    /// not be asked again now. Bounded, so a revoked key cannot live on while lookups are
    /// throttled.
    func stale(_ id: String, maxStaleness: Duration = .seconds(60), now: ContinuousClock.Instant = .now) -> APIKeyRecord? {
        entries.withLock { entries in
            guard let entry = entries[id], now - entry.fetched < lifetime + maxStaleness else { return nil }
            return entry.record
        }
    }

    func insert(_ record: APIKeyRecord, now: ContinuousClock.Instant = .now) {
        entries.withLock { entries in
            if entries[record.id] == nil, entries.count >= capacity {
                // Expired entries go first; if none has expired, the oldest does.
                let lifetime = self.lifetime
                entries = entries.filter { now - $0.value.fetched < lifetime }
                if entries.count >= capacity, let oldest = entries.min(by: { $0.value.fetched < $1.value.fetched })?.key {
                    entries.removeValue(forKey: oldest)
                }
            }
            entries[record.id] = Entry(record: record, fetched: now)
        }
    }
}
