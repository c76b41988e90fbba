import SpectralCatalog
import Foundation
import Logging
import PostgresNIO

/// API keys.
extension PostgresStore {
    public func insertAPIKey(_ key: APIKeyRecord) async throws {
        _ = try await withConnection { [logger] connection in
            try await connection.checkedQuery("""
                INSERT INTO spectral.api_keys (id, name, key_hash, scopes, rate_per_second)
                VALUES (\(key.id), \(key.name), \(key.keyHash), \(key.scopes.joined(separator: ",")), \(key.ratePerSecond))
                """, logger: logger)
        }
    }

    public func apiKey(id: String) async throws -> APIKeyRecord? {
        try await keys(id: id).first
    }

    public func apiKeys() async throws -> [APIKeyRecord] {
        try await keys(id: nil)
    }

    private func keys(id: String?) async throws -> [APIKeyRecord] {
        try await withConnection { [logger] connection in
            let select = "SELECT id, name, key_hash, scopes, rate_per_second, created_at, revoked_at FROM spectral.api_keys"
            let rows = try await connection.checkedQuery(id.map { "\(unescaped: select) WHERE id = \($0)" } ?? "\(unescaped: select) ORDER BY created_at, id",
                                                  logger: logger)
            var keys: [APIKeyRecord] = []
            for try await (id, name, hash, scopes, rate, created, revoked) in rows.decode((String, String, String, String, Double, Date, Date?).self) {
                keys.append(APIKeyRecord(id: id, name: name, keyHash: hash, scopes: scopes.split(separator: ",").map(String.init),
                                         ratePerSecond: rate, createdAt: created, revokedAt: revoked))
            }
            return keys
        }
    }

    public func revokeAPIKey(id: String) async throws {
        try await withConnection { [logger] connection in
            let rows = try await connection.checkedQuery(
                "UPDATE spectral.api_keys SET revoked_at = now() WHERE id = \(id) AND revoked_at IS NULL RETURNING id", logger: logger)
            guard try await rows.decode(String.self).first(where: { _ in true }) != nil else { throw StoreError.unknownAPIKey(id) }
        }
    }
}
