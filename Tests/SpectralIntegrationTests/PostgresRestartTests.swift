import Foundation
import Spectral
import SpectralStore
import SpectralTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Restarting PostgreSQL under a running worker: the worker keeps running, backs off while
/// the server is away, reconnects (pool and LISTEN connection) and finishes the backlog
/// exactly once.
@Suite(.serialized) struct PostgresRestartTests {
    @Test func workerSurvivesAServerRestart() async throws {
        let server = try PostgresServer.start()
        defer { server.destroy() }
        let url = try server.createDatabase()
        let store = try await Workload.openStore(url)
        // Enough that the restart lands mid-backlog (checked below): the worker handles a
        // few hundred a second.
        let events = 2000
        _ = try await Workload.submit(0..<events, to: store)
        await store.close()
        let logPath = SpectralBinary.temporaryFile("restart-worker.log")
        // A long poll interval: after the restart only LISTEN (re-established) wakes it promptly.
        let worker = try SpectralBinary.startWorker(databaseURL: url, pollMilliseconds: 30_000, logPath: logPath)
        defer { worker.killIfRunning() }

        try await SpectralBinary.waitForStartups(1, logPath: logPath)
        try await waitUntil(timeout: .seconds(60)) { try Census.take(url: url, server: server).outboxDone >= 20 }
        let beforeTheStop = try Census.take(url: url, server: server)
        try server.stop(mode: "fast")
        #expect(beforeTheStop.outboxPending > 0, "the restart must land mid-backlog: \(beforeTheStop)")
        try await Task.sleep(for: .seconds(1))
        #expect(worker.poll() == nil, "the worker keeps running while the server is down")
        try server.startAgain()

        // A liveness bound, not a speed check: a debug worker drains 2,000 publications in
        // about 80 s alone, and took over 120 s beside the whole suite's other workers.
        try await waitUntil(timeout: .seconds(300)) { try Census.take(url: url, server: server).outboxPending == 0 }
        // A new event after the restart is picked up by the re-established LISTEN, not the 30 s poll.
        let again = try await Workload.openStore(url)
        let started = ContinuousClock.now
        let id = try await Workload.submit(events..<(events + 1), to: again)[0]
        try await waitUntil(timeout: .seconds(10)) {
            if case .pending = try await again.status(ofEvent: id) { return false }
            return true
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        await again.close()

        worker.send(SIGTERM)
        #expect(worker.wait() == 0)
        let census = try Census.take(url: url, server: server)
        #expect(census.outboxDone == events + 1 && census.handled == events + 1 && census.distinctHandled == events + 1, "\(census)")
        #expect(census.namesWithGaps == 0, "\(census)")
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        // Seen by the LISTEN connection always; by a store call only if one was on the wire
        // when the server went (otherwise the pool waits for it and the call succeeds late).
        #expect(log.contains("LISTEN connection lost"), "the outage was seen and survived")
        try? FileManager.default.removeItem(atPath: logPath)
    }
}

/// Polls `condition` every 100 ms until it holds; fails the test after `timeout`.
func waitUntil(timeout: Duration, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("condition not met within \(timeout)")
    throw CancellationError()
}
