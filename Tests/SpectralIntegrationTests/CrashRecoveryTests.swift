import Foundation
import Spectral
import SpectralStore
import SpectralTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The outbox's central promise: killing the worker at any moment loses no event and
/// applies none twice. `spectral work` runs as a child process over a backlog and is
/// SIGKILLed at random moments, restarted each time; afterwards every event is handled
/// exactly once. `SPECTRAL_CRASH_EVENTS` and `SPECTRAL_CRASH_KILLS` change the size
/// (defaults 2,000 events, 6 kills).
@Suite(.serialized) struct CrashRecoveryTests {
    static let events = Int(ProcessInfo.processInfo.environment["SPECTRAL_CRASH_EVENTS"] ?? "") ?? 2000
    static let kills = Int(ProcessInfo.processInfo.environment["SPECTRAL_CRASH_KILLS"] ?? "") ?? 6
    /// The event a kill interrupts stays leased to the dead worker's claim: a short lease
    /// (the workload's handlers take milliseconds) so the last worker need not wait a minute.
    static let lease = ["--handler-budget", "2", "--claim-lease", "3"]

    @Test(arguments: TestBackend.allCases)
    func sigkilledWorkerHandlesEveryEventExactlyOnce(_ backend: TestBackend) async throws {
        let url = try backend.freshDatabaseURL()
        let store = try await Workload.openStore(url)
        let ids = try await Workload.submit(0..<Self.events, to: store)
        let logPath = SpectralBinary.temporaryFile("crash-worker.log")

        var killsMidBacklog = 0
        for kill in 0..<Self.kills {
            let worker = try SpectralBinary.startWorker(databaseURL: url, pollMilliseconds: 50, extraArguments: Self.lease, logPath: logPath)
            defer { worker.killIfRunning() }
            // Counted from its start-up, not its spawn: under a full test run a debug worker
            // can take longer than the whole random delay to start, and a kill before it
            // claims anything tests nothing.
            try await SpectralBinary.waitForStartups(kill + 1, logPath: logPath)
            try await Task.sleep(for: .milliseconds(Int.random(in: 150...700)))
            worker.send(SIGKILL)
            #expect(worker.wait() == 128 + SIGKILL)
            let census = try Census.take(url: url)
            if census.outboxDone > 0 && census.outboxDone < Self.events { killsMidBacklog += 1 }
            // Between crashes the tables must already be consistent: nothing half-applied.
            #expect(census.handled == census.outboxDone && census.distinctHandled == census.handled, "\(census)")
        }

        let worker = try SpectralBinary.startWorker(databaseURL: url, pollMilliseconds: 50, extraArguments: Self.lease, logPath: logPath)
        defer { worker.killIfRunning() }
        let startups = (try? String(contentsOfFile: logPath, encoding: .utf8))?.components(separatedBy: "\"msg\":\"worker started\"").count ?? 1
        try await SpectralBinary.waitForStartups(startups, logPath: logPath)
        let deadline = ContinuousClock.now + .seconds(180)
        var census = try Census.take(url: url)
        // != 0, not > 0: a count psql failed to read (-1, a loaded machine) is no proof the
        // backlog is done (one full run stopped waiting on it, its census half taken).
        while census.outboxPending != 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            census = try Census.take(url: url)
        }
        worker.send(SIGTERM)
        #expect(worker.wait() == 0, "a SIGTERMed worker exits cleanly")
        // Taken again with the worker gone: a census is several queries, not one snapshot, and
        // the one that ended the wait read `done` just before the last completion committed
        // and `pending` just after (a loaded run: done 1999, pending 0, handled 2000).
        census = try Census.take(url: url)

        let valid = (0..<Self.events).filter(Workload.isValid).count
        #expect(killsMidBacklog >= Self.kills / 2, "kills must land while work remains (\(killsMidBacklog) of \(Self.kills) did)")
        #expect(census.outboxDone == Self.events && census.outboxPending == 0 && census.outboxDead == 0, "\(census)")
        #expect(census.handled == Self.events && census.distinctHandled == Self.events, "\(census)")
        #expect(census.predicateVersions == valid && census.distinctVersionEvents == valid, "\(census)")
        #expect(census.rejections == Self.events - valid, "\(census)")
        #expect(census.namesWithGaps == 0, "\(census)")
        for (index, id) in ids.enumerated() {
            let status = try await store.status(ofEvent: id)
            switch status {
            case .published(let name, _): #expect(Workload.isValid(index) && name == "p\(index % 50)")
            case .rejected: #expect(!Workload.isValid(index))
            default: Issue.record("event \(id): \(status)")
            }
        }
        await store.close()
        try? FileManager.default.removeItem(atPath: logPath)
    }
}
