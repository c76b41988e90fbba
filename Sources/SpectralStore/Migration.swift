import SpectralCatalog
import Crypto

/// A forward-only schema migration: `Migrations/<dialect>_NNNN_name.sql` in this target,
/// compiled into the binary (see `Migration+Files.swift`). The checksum (SHA-256 of the SQL
/// text) is recorded when the migration is applied, so a migration edited afterwards is
/// caught.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    /// Expand or contract (see `Kind`), recorded beside the file rather than in it: a
    /// comment added to an applied migration would change its checksum.
    public var kind: Kind
    public var sql: String

    /// The expand/contract rule: the schema after a migration must keep the previous
    /// release working, so a release only adds (expand); what it stops using is removed
    /// by a later contract migration, once no running release needs it. `MigrationLint`
    /// checks each migration against its kind.
    public enum Kind: Sendable, Equatable {
        /// Adds only: tables, nullable or defaulted columns, indexes, constraints that are
        /// not checked against existing rows.
        case expand
        /// Removes or tightens. `release` is the release whose code no longer needs what
        /// `removes` names: the migration must not run while an older release serves.
        case contract(release: String, removes: String)
    }

    public init(version: Int, name: String, kind: Kind, sql: String) {
        self.version = version
        self.name = name
        self.kind = kind
        self.sql = sql
    }

    /// A migration from its file's bytes. The SQL is the text without the file's final line
    /// break: that is the text checksummed since the first release (when a script pasted
    /// the files into string literals), so databases migrated then still match.
    init(version: Int, name: String, kind: Kind, file: [UInt8]) {
        var sql = String(decoding: file, as: UTF8.self)
        if sql.hasSuffix("\n") { sql.removeLast() }
        self.init(version: version, name: name, kind: kind, sql: sql)
    }

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
