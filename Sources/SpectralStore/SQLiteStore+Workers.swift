import Foundation
import GRDB
import SpectralCatalog

/// The worker registry (`workers`), for generation handoff.
extension SQLiteStore {
    public func register(_ worker: WorkerRegistration) async throws {
        try await writeTransaction { db in
            try db.execute(sql: "DELETE FROM workers WHERE heartbeat_at < strftime('%Y-%m-%d %H:%M:%f', 'now', '-7 days')")
            try Self.upsert(worker, db)
        }
    }

    public func heartbeat(_ worker: WorkerRegistration) async throws {
        try await writeTransaction { db in try Self.upsert(worker, db) }
    }

    private static func upsert(_ worker: WorkerRegistration, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO workers (id, generation, host, pid) VALUES (?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = \(now), stopped_at = NULL
            """, arguments: [worker.id, worker.generation, worker.host, worker.pid])
    }

    public func markStopped(_ worker: WorkerRegistration) async throws {
        try await writeTransaction { db in
            try db.execute(sql: "UPDATE workers SET stopped_at = \(Self.now), heartbeat_at = \(Self.now) WHERE id = ?",
                           arguments: [worker.id])
        }
    }

    public func registeredWorkers() async throws -> [RegisteredWorker] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT *, (julianday('now') - julianday(heartbeat_at)) * 86400.0 AS silent_for
                FROM workers ORDER BY started_at DESC, id
                """).map { row in
                RegisteredWorker(
                    registration: WorkerRegistration(id: row["id"], generation: row["generation"], host: row["host"], pid: row["pid"]),
                    startedAt: row["started_at"], heartbeatAt: row["heartbeat_at"], stoppedAt: row["stopped_at"],
                    silentFor: row["silent_for"])
            }
        }
    }

    /// The claim's condition on an outbox row's generation (aliased `o`): the claimer's own,
    /// or, when it adopts, an older one none of whose workers runs (each stopped, or silent
    /// since before the cutoff). Arguments: generation, adopts (0/1), generation, cutoff.
    static let claimableGeneration = """
        (o.generation = ? OR (? AND o.generation < ? AND NOT EXISTS (
            SELECT 1 FROM workers w WHERE w.generation = o.generation AND w.stopped_at IS NULL
            AND w.heartbeat_at > strftime('%Y-%m-%d %H:%M:%f', 'now', ?))))
        """

    /// `-30.000 seconds`: the cutoff modifier for a silence.
    static func silenceCutoff(_ silence: Duration?) -> String {
        String(format: "-%.3f seconds", (silence ?? .zero).inSeconds)
    }
}
