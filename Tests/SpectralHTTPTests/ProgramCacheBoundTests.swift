import Logging
import Spectral
import SpectralHTTP
import SpectralTestSupport
import Testing

/// Review finding: the program cache never evicted, and a `decide` key can load any stored
/// version by pinning it. The cache is bounded by estimated bytes, least recently used out.
@Suite struct ProgramCacheBoundTests {
    @Test func theCacheKeepsItsBudgetAndEvictsTheLeastRecentlyUsed() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        for index in 1...3 { try await fixture.publish("p\(index)", "x > \(index)", declarations: ["x": "int"]) }
        try await fixture.publish("big", (0..<200).map { #"s.matches("^a\#($0)b+$")"# }.joined(separator: " || "), declarations: ["s": "string"])
        let probe = ProgramCache(store: fixture.store, limits: Limits(), logger: fixture.logger)
        let one = try await probe.entry("p1", version: nil)
        let big = try await probe.entry("big", version: nil)
        let perProgram = one.program.residentBytes + one.source.utf8.count
        #expect(big.program.residentBytes > 20 * perProgram, "200 compiled patterns weigh more than a comparison")

        let cache = ProgramCache(store: fixture.store, limits: Limits(), maxBytes: 2 * perProgram + perProgram / 2, logger: fixture.logger)
        _ = try await cache.entry("p1", version: nil)
        _ = try await cache.entry("p2", version: nil)
        #expect(cache.count == 2 && cache.bytes <= 2 * perProgram + perProgram / 2)
        _ = try await cache.entry("p1", version: nil)  // p1 is now the more recent
        _ = try await cache.entry("p3", version: nil)  // evicts p2
        #expect(cache.count == 2 && cache.bytes <= 2 * perProgram + perProgram / 2)
        // Served, not kept: larger than the whole budget.
        let served = try await cache.entry("big", version: 1)
        #expect(served.version == 1 && cache.count == 2)
        // p1 and p3 are still there: asking again reads nothing (a closed store would fail).
        await fixture.store.close()
        _ = try await cache.entry("p1", version: 1)
        _ = try await cache.entry("p3", version: 1)
        await #expect(throws: APIError.self) { _ = try await cache.entry("p2", version: 1) }
    }

    /// The periodic refresh drops every active pointer; the version the store names next is
    /// the one already cached, served as the same entry (not decoded and verified again),
    /// and a newly activated version is loaded.
    @Test func aRefreshRepointsAtTheCachedVersion() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.publish("p", "x > 1", declarations: ["x": "int"])
        let cache = ProgramCache(store: fixture.store, limits: Limits(), logger: fixture.logger)
        let first = try await cache.entry("p", version: nil)
        cache.invalidateAll()
        let again = try await cache.entry("p", version: nil)
        #expect(again === first && cache.count == 1)
        try await fixture.publish("p", "x > 2", declarations: ["x": "int"])
        cache.invalidateAll()
        let next = try await cache.entry("p", version: nil)
        #expect(next.version == 2 && next !== first && cache.count == 2)
        await fixture.store.close()
    }
}
