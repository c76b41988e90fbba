import SpectralCatalog
import Crypto

/// A forward-only schema migration: `infra/migrations/<dialect>/NNNN_name.sql`, embedded in
/// the binary by `infra/migrations/embed.sh`. The checksum (SHA-256 of the SQL text) is
/// recorded when the migration is applied, so a migration edited afterwards is caught.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String

    public var checksum: String {
        SHA256.hash(data: Array(sql.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The version the code of this build needs.
    static func required(_ migrations: [Migration]) -> Int { migrations.map(\.version).max() ?? 0 }

    /// The migrations still to apply, given the applied ones (version → checksum). Applied
    /// versions this build does not know are newer releases' and are left alone: the
    /// expand/contract rule keeps them compatible with this code.
    static func pending(_ migrations: [Migration], applied: [Int: String]) throws(StoreError) -> [Migration] {
        var pending: [Migration] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            if let checksum = applied[migration.version] {
                guard checksum == migration.checksum else {
                    throw .migrationChecksumMismatch(version: migration.version, name: migration.name)
                }
            } else {
                pending.append(migration)
            }
        }
        return pending
    }
}

/// What `migrate` did.
public struct MigrationReport: Sendable, Equatable {
    /// Versions applied by this call, in order.
    public var applied: [Int]
    /// The highest applied version afterwards.
    public var current: Int
}
