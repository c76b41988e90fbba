import SpectralCatalog
import Foundation
import GRDB

/// API keys.
extension SQLiteStore {
    public func insertAPIKey(_ key: APIKeyRecord) async throws {
        try await writeTransaction { db in
            try db.execute(sql: "INSERT INTO api_keys (id, name, key_hash, scopes, rate_per_second) VALUES (?, ?, ?, ?, ?)",
                           arguments: [key.id, key.name, key.keyHash, key.scopes.joined(separator: ","), key.ratePerSecond])
        }
    }

    public func apiKey(id: String) async throws -> APIKeyRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE id = ?", arguments: [id]).map(Self.apiKeyRecord)
        }
    }

    public func apiKeys() async throws -> [APIKeyRecord] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at, id").map(Self.apiKeyRecord) }
    }

    public func revokeAPIKey(id: String) async throws {
        try await writeTransaction { db in
            try db.execute(sql: "UPDATE api_keys SET revoked_at = \(Self.now) WHERE id = ? AND revoked_at IS NULL", arguments: [id])
            guard db.changesCount == 1 else { throw StoreError.unknownAPIKey(id) }
        }
    }

    private static func apiKeyRecord(_ row: Row) -> APIKeyRecord {
        APIKeyRecord(id: row["id"], name: row["name"], keyHash: row["key_hash"],
                     scopes: (row["scopes"] as String).split(separator: ",").map(String.init),
                     ratePerSecond: row["rate_per_second"], createdAt: row["created_at"], revokedAt: row["revoked_at"])
    }
}
