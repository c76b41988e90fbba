import Foundation
import SpectralCatalog
@testable import SpectralStore
import SpectralTestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    static let firstMigrationName = "predicates_and_outbox"
    /// Every version this build knows (both dialects have the same: tested below), and the last.
    static let versions = Migration.sqlite.map(\.version)
    static let latest = versions.last!

    @Test("migrate applies every migration, then nothing", arguments: TestBackend.allCases)
    func migrateAppliesOnceThenNothing(_ backend: TestBackend) async throws {
        try await withStore(backend, migrated: false) { store, _ in
            #expect(try await store.migrate() == MigrationReport(applied: Self.versions, current: Self.latest))
            #expect(try await store.migrate() == MigrationReport(applied: [], current: Self.latest))
            try await store.requireCurrentSchema()
        }
    }

    @Test("a fresh database is reported out of date", arguments: TestBackend.allCases)
    func freshDatabaseIsOutOfDate(_ backend: TestBackend) async throws {
        try await withStore(backend, migrated: false) { store, _ in
            await #expect(throws: StoreError.schemaOutOfDate(applied: 0, required: Self.latest)) {
                try await store.requireCurrentSchema()
            }
        }
    }

    @Test("concurrent migrate calls apply each migration once", arguments: TestBackend.allCases)
    func concurrentMigrationsApplyOnce(_ backend: TestBackend) async throws {
        let database = try await TestDatabase(backend)
        var stores: [any Store] = []
        for _ in 0..<3 { stores.append(try await database.open()) }
        let reports = try await withThrowingTaskGroup(of: MigrationReport.self) { group in
            for store in stores { group.addTask { try await store.migrate() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for store in stores { await store.close() }
        #expect(reports.map(\.applied).sorted { $0.count > $1.count } == [Self.versions, [], []])
        #expect(reports.allSatisfy { $0.current == Self.latest })
        #expect(try await database.count("SELECT count(*) FROM schema_migrations") == Self.versions.count)
    }

    @Test("an applied migration whose checksum changed stops migrate", arguments: TestBackend.allCases)
    func tamperedChecksumIsCaught(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            try await database.sql("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 1")
            let mismatch = StoreError.migrationChecksumMismatch(version: 1, name: Self.firstMigrationName)
            await #expect(throws: mismatch) { try await store.migrate() }
            await #expect(throws: mismatch) { try await store.requireCurrentSchema() }
        }
    }

    @Test("applied migrations newer than this build are left alone", arguments: TestBackend.allCases)
    func newerAppliedMigrationsAreLeftAlone(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            try await database.sql("INSERT INTO schema_migrations (version, name, checksum) VALUES (99, 'from_the_future', 'abc')")
            #expect(try await store.migrate() == MigrationReport(applied: [], current: 99))
            try await store.requireCurrentSchema()
        }
    }

    @Test("the checksum recorded is the SHA-256 of the embedded SQL", arguments: TestBackend.allCases)
    func recordedChecksumIsTheEmbeddedOne(_ backend: TestBackend) async throws {
        try await withStore(backend) { _, database in
            let migrations = backend == .postgres ? Migration.postgres : Migration.sqlite
            let recorded = try await database.sql("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
            #expect(recorded == migrations.map { "\($0.version)|\($0.name)|\($0.checksum)" })
            #expect(migrations.allSatisfy { $0.checksum.count == 64 && $0.checksum.allSatisfy(\.isHexDigit) })
        }
    }

    // MARK: The embedded copy and the files

    /// The repository root, from this file's path (Tests/SpectralStoreTests/…).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Sources/SpectralStore/Migrations/<dialect>_NNNN_name.sql`: what the build compiles in.
    static func migrationFiles(_ dialect: String) throws -> [Migration] {
        let directory = repositoryRoot.appendingPathComponent("Sources/SpectralStore/Migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix(dialect + "_") && $0.hasSuffix(".sql") }.sorted()
        return try files.map { file in
            let base = String(file.dropFirst(dialect.count + 1).dropLast(".sql".count))
            let parts = base.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, let version = Int(parts[0]) else { throw TestFailure("badly named migration \(file)") }
            var sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            guard sql.hasSuffix("\n") else { throw TestFailure("\(file) does not end with a newline") }
            sql.removeLast()
            // The file does not say its kind (Migration+Files.swift does); compared by SQL only.
            return Migration(version: version, name: String(parts[1]), kind: .expand, sql: sql)
        }
    }

    @Test("the migrations compiled in are every file of Sources/SpectralStore/Migrations, listed in Migration+Files.swift",
          arguments: ["postgres", "sqlite"])
    func embeddedSQLEqualsTheFiles(_ dialect: String) throws {
        let embedded = dialect == "postgres" ? Migration.postgres : Migration.sqlite
        let files = try Self.migrationFiles(dialect)
        #expect(!files.isEmpty)
        #expect(embedded.map(\.version) == files.map(\.version))
        for (embedded, file) in zip(embedded, files) {
            #expect(embedded.name == file.name, "migration \(file.version)")
            #expect(embedded.sql == file.sql, "migration \(file.version) (\(file.name)) differs from its file")
            #expect(embedded.checksum == file.checksum)
        }
    }

    @Test("both dialects have the same migrations, numbered 1, 2, 3, …")
    func dialectsHaveTheSameMigrations() throws {
        let postgres = Migration.postgres, sqlite = Migration.sqlite
        #expect(postgres.map(\.version) == Array(1...postgres.count))
        #expect(postgres.map(\.version) == sqlite.map(\.version))
        #expect(postgres.map(\.name) == sqlite.map(\.name))
        #expect(Migration.required(postgres) == postgres.count)
    }

    @Test("both dialects define the same tables and columns")
    func dialectsDefineTheSameColumns() async throws {
        let postgres = try await withStore(.postgres) { _, database in
            try await database.sql("""
                SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'spectral'
                """)
        }
        let sqlite = try await withStore(.sqlite) { _, database in
            try await database.sql("""
                SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
                WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%'
                """)
        }
        #expect(Set(postgres) == Set(sqlite))
        #expect(postgres.count == Set(postgres).count)
        for expected in ["outbox.available_at", "outbox.claim_token", "predicates.bytecode", "event_handled.handler", "schema_migrations.checksum"] {
            #expect(Set(sqlite).contains(expected))
        }
    }
}
