import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import SpectralStore
import SpectralTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The restore drill of infra/runbooks/backup-restore.md, with the real binary and real
/// files: `spectral backup` copies the store while two other processes write it (this test
/// submitting events and activating versions, a `spectral work` publishing versions); the
/// backup restored elsewhere holds every row committed before the backup started, byte for
/// byte, is a consistent snapshot, migrates as a no-op and decides.
@Suite struct RestoreDrillTests {
    @Test func backupUnderWriteLoadRestoresEveryCommittedRow() async throws {
        let url = try TestBackend.sqlite.freshDatabaseURL()
        let storePath = String(url.dropFirst("sqlite:".count))
        let directory = (storePath as NSString).deletingLastPathComponent
        let store = try await Workload.openStore(url)
        let workerLog = "\(directory)/worker.log"
        let worker = try SpectralBinary.startWorker(databaseURL: url, pollMilliseconds: 50, logPath: workerLog)
        defer { worker.killIfRunning() }
        try await SpectralBinary.waitForStartups(1, logPath: workerLog)

        // Submissions and activations from this process, publications from the worker.
        let writer = Task {
            var index = 0
            while !Task.isCancelled {
                _ = try await store.submit(.predicateAuthored(Workload.request(index)), generation: 1)
                if index % 3 == 0 {
                    let name = "p\(index % 50)"
                    if let versions = try? await store.versions(of: name), let oldest = versions.first {
                        try? await store.activate(name, version: oldest.version)
                    }
                }
                index += 1
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        defer { writer.cancel() }
        try await waitUntil(timeout: .seconds(60)) {
            let rows = try await offThePool { try StoreRows.read(storePath) }
            return rows.predicates.count >= 30 && rows.activations.count > rows.predicates.count
        }

        // Everything committed up to here must be in the backup.
        let before = try await offThePool { try StoreRows.read(storePath) }
        let backupPath = "\(directory)/backups/spectral-backup.sqlite"
        try FileManager.default.createDirectory(atPath: "\(directory)/backups", withIntermediateDirectories: true)
        let backup = try await offThePool {
            try ChildProcess.capture(SpectralBinary.path, ["backup", backupPath, "--database-url", url])
        }
        let during = try await offThePool { try StoreRows.read(storePath) }
        writer.cancel()
        _ = await writer.result
        worker.send(SIGTERM)
        #expect(worker.wait() == 0)
        await store.close()

        #expect(backup.status == 0, "\(backup.output)")
        #expect(backup.output.hasPrefix("backup \(backupPath): "), "\(backup.output)")
        // The writers kept going while the backup ran: this was a backup under load.
        #expect(during.outbox.count > before.outbox.count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(directory)/backups") == ["spectral-backup.sqlite"])

        // Another location: a fresh directory, no store file yet.
        let restoredURL = try TestBackend.sqlite.freshDatabaseURL()
        let restoredPath = String(restoredURL.dropFirst("sqlite:".count))
        let restore = try ChildProcess.capture(SpectralBinary.path, ["restore", backupPath, "--database-url", restoredURL])
        #expect(restore.status == 0 && restore.output.hasPrefix("restored \(backupPath) to \(restoredPath): "), "\(restore.output)")

        let restored = try StoreRows.read(restoredPath)
        // Immutable rows: every one committed before the backup, unchanged.
        #expect(before.predicates.count >= 30)
        for (key, row) in before.predicates { #expect(restored.predicates[key] == row, "predicate version \(key)") }
        for (key, row) in before.activations { #expect(restored.activations[key] == row, "activation \(key)") }
        for (key, row) in before.eventHandled { #expect(restored.eventHandled[key] == row, "event_handled \(key)") }
        // Outbox rows: handled ones are final; pending ones may have been handled since,
        // but what was submitted is the same.
        #expect(!before.outboxDone.isEmpty && before.eventHandled.count == before.outboxDone.count)
        for (key, row) in before.outboxDone { #expect(restored.outbox[key] == row, "outbox row \(key)") }
        let submitted = restored.outboxAsSubmitted
        for (key, row) in before.outboxAsSubmitted { #expect(submitted[key] == row, "outbox row \(key)") }
        // The summary line counts what the restored file holds.
        #expect(backup.output.contains(" \(restored.predicates.count) predicate versions, \(restored.activations.count) activations, \(restored.outbox.count) outbox rows; integrity ok"),
                "\(backup.output)")

        // One snapshot of committed transactions: every handled event has its outcome, and
        // versions are numbered without gaps.
        let census = try Census.take(url: restoredURL)
        #expect(census.outboxDone == census.distinctHandled && census.handled == census.distinctHandled, "\(census)")
        #expect(census.predicateVersions + census.rejections == census.handled, "\(census)")
        #expect(census.namesWithGaps == 0, "\(census)")

        let migrate = try ChildProcess.capture(SpectralBinary.path, ["migrate", "--database-url", restoredURL])
        #expect(migrate.status == 0 && migrate.output.contains("nothing to apply"), "\(migrate.output)")
        try await decides(restoredURL, restored)
    }

    /// `spectral serve` on the restored store answers a decision with a restored version.
    func decides(_ url: String, _ rows: StoreRows) async throws {
        let path = String(url.dropFirst("sqlite:".count))
        let active = try Self.anActiveVersion(path: path)
        let port = Int.random(in: 20_000...60_000)
        let log = SpectralBinary.temporaryFile("serve.log")
        let server = try ChildProcess.spawn(SpectralBinary.path, ["serve", "--demo", "--port", String(port), "--database-url", url], outputPath: log)
        defer { server.killIfRunning() }
        let base = "http://127.0.0.1:\(port)"
        try await waitUntil(timeout: .seconds(30)) { (try? await httpRequest("GET", "\(base)/health").0) == 200 }
        // Workload sources are `x.n > i` for i in the hundreds at most.
        let (status, body) = try await httpRequest("POST", "\(base)/v1/decide", #"{"predicate": "\#(active.name)", "input": {"x": {"n": 1000000}}}"#)
        #expect(status == 200 && body.contains(#""version":\#(active.version),"decision":true"#), "\(body)")
        server.send(SIGTERM)
        #expect(server.wait() == 0)
    }

    static func anActiveVersion(path: String) throws -> (name: String, version: Int) {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        let row = try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT name, active_version FROM predicate_names WHERE active_version IS NOT NULL ORDER BY name LIMIT 1")
        }
        let active = try #require(row, "no active version in \(path)")
        return (active["name"], active["active_version"])
    }

}
