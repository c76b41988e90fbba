import Foundation
import PostgresNIO
import SpectralCatalog

/// The worker registry (`spectral.workers`), for generation handoff.
extension PostgresStore {
    public func register(_ worker: WorkerRegistration) async throws {
        try await transaction { [self] connection in
            // Forgets workers silent for a week, so the registry stays the size of the fleet.
            try await connection.checkedQuery(
                "DELETE FROM spectral.workers WHERE heartbeat_at < now() - make_interval(days => 7)", logger: logger)
            try await upsert(worker, connection)
        }
    }

    public func heartbeat(_ worker: WorkerRegistration) async throws {
        try await withConnection { [self] connection in try await upsert(worker, connection) }
    }

    private func upsert(_ worker: WorkerRegistration, _ connection: PostgresConnection) async throws {
        try await connection.checkedQuery("""
            INSERT INTO spectral.workers (id, generation, host, pid)
            VALUES (\(worker.id), \(worker.generation), \(worker.host), \(Int(worker.pid)))
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), stopped_at = NULL
            """, logger: logger)
    }

    public func markStopped(_ worker: WorkerRegistration) async throws {
        try await withConnection { [logger] connection in
            try await connection.checkedQuery(
                "UPDATE spectral.workers SET stopped_at = now(), heartbeat_at = now() WHERE id = \(worker.id)", logger: logger)
        }
    }

    public func registeredWorkers() async throws -> [RegisteredWorker] {
        try await withConnection { [logger] connection in
            let rows = try await connection.checkedQuery("""
                SELECT id, generation, host, pid, started_at, heartbeat_at, stopped_at,
                       EXTRACT(EPOCH FROM clock_timestamp() - heartbeat_at)::float8
                FROM spectral.workers ORDER BY started_at DESC, id
                """, logger: logger)
            var workers: [RegisteredWorker] = []
            for try await (id, generation, host, pid, startedAt, heartbeatAt, stoppedAt, silentFor)
                in rows.decode((String, Int64, String, Int, Date, Date, Date?, Double).self) {
                workers.append(RegisteredWorker(
                    registration: WorkerRegistration(id: id, generation: generation, host: host, pid: Int32(clamping: pid)),
                    startedAt: startedAt, heartbeatAt: heartbeatAt, stoppedAt: stoppedAt, silentFor: silentFor))
            }
            return workers
        }
    }
}
