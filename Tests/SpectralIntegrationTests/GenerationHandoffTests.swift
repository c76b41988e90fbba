import Foundation
import Spectral
import SpectralStore
import SpectralTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Generation handoff with real `spectral work` processes on PostgreSQL: the events of a
/// generation whose workers are gone are handled by the next generation, each exactly once.
///
/// The reproduction of the report: generation 1's API wrote 80 events; its worker handled
/// the first 40 and was stopped; generation 2's worker then ran and the other 40 were never
/// handled (they were left to age out).
@Suite(.serialized) struct GenerationHandoffTests {
    /// Short heartbeats and silence, so a killed worker's generation is adopted in seconds;
    /// a short lease, so the event a kill interrupts is claimable soon after.
    static let quick = ["--heartbeat-interval", "0.2", "--adopt-after", "1.5", "--handler-budget", "2", "--claim-lease", "3"]

    // Fails (40 events stay pending) if generation 2 does not adopt generation 1's events
    // after generation 1's worker stopped; fails the census if any is handled twice.
    @Test func eventsOfAStoppedGenerationAreHandledByTheNext() async throws {
        let url = try TestBackend.postgres.freshDatabaseURL()
        let store = try await Workload.openStore(url)
        let firstLog = SpectralBinary.temporaryFile("handoff-gen1.log"), secondLog = SpectralBinary.temporaryFile("handoff-gen2.log")
        defer { for log in [firstLog, secondLog] { try? FileManager.default.removeItem(atPath: log) } }

        let generation1 = try SpectralBinary.startWorker(databaseURL: url, generation: 1, pollMilliseconds: 50,
                                                         extraArguments: Self.quick, logPath: firstLog)
        defer { generation1.killIfRunning() }
        try await SpectralBinary.waitForStartups(1, logPath: firstLog)
        let handledByOne = try await Workload.submit(0..<40, to: store, generation: 1)
        try await waitUntil(timeout: .seconds(120)) { try await store.backlog(generation: 1).pending == 0 }
        generation1.send(SIGTERM)
        #expect(generation1.wait() == 0, "generation 1's worker drained and exited cleanly")

        // Generation 1's API still takes submissions during the cutover: these have no
        // generation-1 worker left to handle them.
        let left = try await Workload.submit(40..<80, to: store, generation: 1)
        let own = try await Workload.submit(80..<90, to: store, generation: 2)
        let generation2 = try SpectralBinary.startWorker(databaseURL: url, generation: 2, pollMilliseconds: 50,
                                                         extraArguments: Self.quick, logPath: secondLog)
        defer { generation2.killIfRunning() }
        try await SpectralBinary.waitForStartups(1, logPath: secondLog)
        try await waitUntil(timeout: .seconds(120)) {
            let (old, new) = (try await store.backlog(generation: 1), try await store.backlog(generation: 2))
            return old.pending == 0 && new.pending == 0
        }
        generation2.send(SIGTERM)
        #expect(generation2.wait() == 0)

        #expect(Set(SpectralBinary.handledEventIDs(logPath: firstLog)) == Set(handledByOne))
        #expect(Set(SpectralBinary.handledEventIDs(logPath: secondLog)) == Set(left + own), "generation 2 handled the 40 left over and its own 10")
        #expect(Self.adoptions(logPath: secondLog) == left.count)
        let census = try Census.take(url: url)
        #expect(census.handled == 90 && census.distinctHandled == 90 && census.outboxPending == 0, "\(census)")
        #expect(census.distinctVersionEvents == census.predicateVersions && census.namesWithGaps == 0, "\(census)")
        await store.close()
    }

    // Fails if generation 2 adopts while generation 1 still runs (generation 1's log would
    // miss events), or never adopts once generation 1 was killed (it never marks itself
    // stopped: only its silence tells), or handles the event the kill interrupted twice.
    @Test func aKilledGenerationIsAdoptedAfterItsSilence() async throws {
        let url = try TestBackend.postgres.freshDatabaseURL()
        let store = try await Workload.openStore(url)
        let firstLog = SpectralBinary.temporaryFile("killed-gen1.log"), secondLog = SpectralBinary.temporaryFile("killed-gen2.log")
        defer { for log in [firstLog, secondLog] { try? FileManager.default.removeItem(atPath: log) } }

        let generation1 = try SpectralBinary.startWorker(databaseURL: url, generation: 1, pollMilliseconds: 50,
                                                         extraArguments: Self.quick, logPath: firstLog)
        defer { generation1.killIfRunning() }
        try await SpectralBinary.waitForStartups(1, logPath: firstLog)
        let generation2 = try SpectralBinary.startWorker(databaseURL: url, generation: 2, pollMilliseconds: 50,
                                                         extraArguments: Self.quick, logPath: secondLog)
        defer { generation2.killIfRunning() }
        try await SpectralBinary.waitForStartups(1, logPath: secondLog)

        // While generation 1 runs (and heartbeats), its events are its own.
        let early = try await Workload.submit(0..<30, to: store, generation: 1)
        try await waitUntil(timeout: .seconds(120)) { try await store.backlog(generation: 1).pending == 0 }
        #expect(Set(SpectralBinary.handledEventIDs(logPath: firstLog)) == Set(early))
        #expect(SpectralBinary.handledEventIDs(logPath: secondLog).isEmpty, "generation 2 adopted from a running generation")

        // Killed mid-backlog: no stop mark, a claim possibly left leased.
        let late = try await Workload.submit(30..<230, to: store, generation: 1)
        try await waitUntil(timeout: .seconds(60)) { SpectralBinary.handledEventIDs(logPath: firstLog).count > early.count }
        generation1.send(SIGKILL)
        #expect(generation1.wait() == 128 + SIGKILL)
        try await waitUntil(timeout: .seconds(120)) { try await store.backlog(generation: 1).pending == 0 }
        generation2.send(SIGTERM)
        #expect(generation2.wait() == 0)

        let byOne = Set(SpectralBinary.handledEventIDs(logPath: firstLog)), byTwo = Set(SpectralBinary.handledEventIDs(logPath: secondLog))
        #expect(byOne.isDisjoint(with: byTwo))
        // A subset, not equal: the kill can land between a commit and its log line (the census counts that one).
        #expect(byOne.union(byTwo).isSubset(of: Set(early + late)))
        #expect(!byTwo.isEmpty && Self.adoptions(logPath: secondLog) >= byTwo.count, "generation 2 adopted what generation 1 left")
        let census = try Census.take(url: url)
        #expect(census.handled == 230 && census.distinctHandled == 230 && census.outboxPending == 0, "\(census)")
        await store.close()
    }

    /// How many events a worker's JSON log says it adopted.
    static func adoptions(logPath: String) -> Int {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.components(separatedBy: "\"msg\":\"adopted an event of a retired generation\"").count - 1
    }
}
