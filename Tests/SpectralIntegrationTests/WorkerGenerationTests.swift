import Foundation
import Spectral
import SpectralStore
import SpectralTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Two workers of one generation share a backlog without handling any event twice; a
/// worker of an older generation claims none of it (a newer one's events are never
/// adopted). Each worker's JSON log names the events it handled. Handoff to a newer
/// generation: `GenerationHandoffTests`.
@Suite(.serialized) struct WorkerGenerationTests {
    @Test func twoWorkersShareABacklogAndAnOlderGenerationTakesNothing() async throws {
        let url = try TestBackend.postgres.freshDatabaseURL()
        let store = try await Workload.openStore(url)
        let mine = try await Workload.submit(0..<600, to: store, generation: 1)
        let other = try await Workload.submit(600..<700, to: store, generation: 2)
        let logs = (0..<3).map { SpectralBinary.temporaryFile("worker-\($0).log") }
        let workers = [
            try SpectralBinary.startWorker(databaseURL: url, generation: 1, pollMilliseconds: 50, logPath: logs[0]),
            try SpectralBinary.startWorker(databaseURL: url, generation: 1, pollMilliseconds: 50, logPath: logs[1]),
            try SpectralBinary.startWorker(databaseURL: url, generation: 0, pollMilliseconds: 50, logPath: logs[2]),
        ]
        defer { workers.forEach { $0.killIfRunning() } }
        for log in logs { try await SpectralBinary.waitForStartups(1, logPath: log) }
        try await waitUntil(timeout: .seconds(120)) { try await store.backlog(generation: 1).pending == 0 }
        for worker in workers { worker.send(SIGTERM) }
        for worker in workers { #expect(worker.wait() == 0) }

        let first = Set(SpectralBinary.handledEventIDs(logPath: logs[0]))
        let second = Set(SpectralBinary.handledEventIDs(logPath: logs[1]))
        let third = SpectralBinary.handledEventIDs(logPath: logs[2])
        #expect(first.isDisjoint(with: second), "no event handled by both workers")
        #expect(first.union(second) == Set(mine))
        #expect(!first.isEmpty && !second.isEmpty, "both workers took part (\(first.count) + \(second.count))")
        #expect(third.isEmpty, "the generation-0 worker claimed nothing")
        #expect(try await store.backlog(generation: 2).pending == other.count, "generation 2 waits for its own workers (or a newer one)")
        let census = try Census.take(url: url)
        #expect(census.handled == mine.count && census.distinctHandled == mine.count, "\(census)")
        await store.close()
        for log in logs { try? FileManager.default.removeItem(atPath: log) }
    }
}
