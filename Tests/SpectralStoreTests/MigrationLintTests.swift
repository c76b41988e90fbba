@testable import SpectralStore
import Testing

/// The expand/contract lint: every rule fires on a snippet that breaks it and stays quiet
/// on its harmless neighbour, comments and literals never count, and the real migrations
/// of both dialects pass.
@Suite("Migration lint")
struct MigrationLintTests {
    /// The rules broken by `sql` as migration 2 of an expand (or the given) kind, after a
    /// first migration creating the tables and the unique index the snippets touch.
    func rules(_ sql: String, kind: Migration.Kind = .expand) -> [MigrationLint.Rule] {
        let setUp = Migration(version: 1, name: "set_up", kind: .expand, sql: """
            CREATE TABLE spectral.outbox (id BIGSERIAL PRIMARY KEY, topic TEXT NOT NULL, payload TEXT);
            CREATE UNIQUE INDEX outbox_topic ON spectral.outbox (topic);
            CREATE INDEX outbox_payload ON spectral.outbox (payload);
            """)
        let findings = MigrationLint().findings(in: [setUp, Migration(version: 2, name: "snippet", kind: kind, sql: sql)])
        #expect(findings.allSatisfy { $0.version == 2 }, "the set-up migration is clean")
        return findings.map(\.rule)
    }

    @Test("each rule fires on SQL that breaks it", arguments: [
        ("DROP TABLE outbox", MigrationLint.Rule.dropTable),
        ("DROP TABLE IF EXISTS spectral.outbox CASCADE", .dropTable),
        ("DROP SCHEMA spectral CASCADE", .dropTable),
        ("DROP VIEW pending_events", .dropTable),
        ("ALTER TABLE outbox DROP COLUMN payload", .dropColumn),
        ("ALTER TABLE spectral.outbox DROP payload", .dropColumn),
        ("ALTER TABLE outbox DROP COLUMN IF EXISTS payload", .dropColumn),
        ("ALTER TABLE outbox DROP CONSTRAINT outbox_topic_check", .dropConstraint),
        ("DROP INDEX outbox_topic", .dropUniqueIndex),
        ("DROP INDEX CONCURRENTLY IF EXISTS spectral.outbox_topic", .dropUniqueIndex),
        ("ALTER TABLE outbox RENAME TO events", .renameTable),
        ("ALTER TABLE outbox RENAME COLUMN payload TO body", .renameColumn),
        ("ALTER TABLE outbox RENAME payload TO body", .renameColumn),
        ("ALTER TABLE outbox ALTER COLUMN payload TYPE JSONB USING payload::jsonb", .alterColumnType),
        ("ALTER TABLE outbox ALTER payload SET DATA TYPE BYTEA", .alterColumnType),
        ("ALTER TABLE outbox ALTER COLUMN payload SET NOT NULL", .setNotNull),
        ("ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL", .notNullColumnWithoutDefault),
        ("ALTER TABLE outbox ADD CONSTRAINT topic_known CHECK (topic <> '')", .constraintOnExistingTable),
        ("ALTER TABLE outbox ADD FOREIGN KEY (id) REFERENCES other (id)", .constraintOnExistingTable),
        ("ALTER TABLE outbox ADD CONSTRAINT one_payload UNIQUE (payload)", .constraintOnExistingTable),
        ("ALTER TABLE outbox ADD CONSTRAINT one_payload UNIQUE (payload) NOT VALID", .constraintOnExistingTable),
        ("CREATE UNIQUE INDEX outbox_one_payload ON outbox (payload)", .constraintOnExistingTable),
        ("DELETE FROM outbox WHERE status = 'done'", .deleteData),
        ("WITH gone AS (DELETE FROM outbox RETURNING id) SELECT count(*) FROM gone", .deleteData),
        ("TRUNCATE outbox", .deleteData),
    ])
    func ruleFires(_ sql: String, _ rule: MigrationLint.Rule) {
        #expect(rules(sql) == [rule], "\(sql)")
    }

    @Test("each rule stays quiet on its harmless neighbour", arguments: [
        "CREATE TABLE workers (id TEXT PRIMARY KEY)",                                   // dropTable: adding a table
        "ALTER TABLE outbox ADD COLUMN claim_token TEXT",                                // dropColumn: adding a column
        "ALTER TABLE outbox ALTER COLUMN payload DROP DEFAULT",                          // dropConstraint: not a DROP action
        "DROP INDEX outbox_payload",                                                     // dropUniqueIndex: a plain index
        "ALTER INDEX outbox_payload RENAME TO outbox_by_payload",                        // renameTable: an index, not a table
        "ALTER TABLE outbox RENAME CONSTRAINT outbox_pkey TO outbox_id",                 // renameColumn: a constraint
        "ALTER TABLE outbox ALTER COLUMN payload SET DEFAULT '{}'",                      // alterColumnType: a default
        "ALTER TABLE outbox ALTER COLUMN payload DROP NOT NULL",                         // setNotNull: loosening
        "ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0",             // notNullColumnWithoutDefault
        "ALTER TABLE outbox ADD CONSTRAINT topic_known CHECK (topic <> '') NOT VALID",   // constraintOnExistingTable
        "ALTER TABLE outbox ADD CONSTRAINT by_id FOREIGN KEY (id) REFERENCES other (id) NOT VALID",
        "CREATE TABLE workers (id TEXT, host TEXT); CREATE UNIQUE INDEX workers_host ON workers (host)",
        "CREATE TABLE workers (id TEXT); ALTER TABLE workers ADD CONSTRAINT id_set CHECK (id <> '')",
        "CREATE INDEX outbox_by_topic ON outbox (topic)",
        "CREATE TABLE t (parent TEXT REFERENCES outbox (topic) ON DELETE CASCADE)",      // deleteData: ON DELETE
        "UPDATE outbox SET payload = '{}' WHERE payload IS NULL",
    ])
    func ruleStaysQuiet(_ sql: String) {
        #expect(rules(sql) == [], "\(sql)")
    }

    @Test("comments and string literals never match a rule", arguments: [
        "-- DROP TABLE outbox;\nALTER TABLE outbox ADD COLUMN note TEXT",
        "/* ALTER TABLE outbox DROP COLUMN payload; /* nested */ DELETE FROM outbox; */ SELECT 1",
        "ALTER TABLE outbox ADD COLUMN note TEXT DEFAULT 'DROP TABLE outbox; DELETE FROM outbox'",
        "ALTER TABLE outbox ADD COLUMN note TEXT DEFAULT 'it''s; DROP TABLE outbox'",
        "ALTER TABLE outbox ADD COLUMN note TEXT DEFAULT E'\\'; TRUNCATE outbox; '",
        "CREATE FUNCTION f() RETURNS void AS $body$ DELETE FROM outbox; $body$ LANGUAGE sql",
        "ALTER TABLE outbox ADD COLUMN \"drop\" TEXT; ALTER TABLE outbox ADD COLUMN \"delete\" TEXT",
        "ALTER TABLE outbox ALTER COLUMN type SET DEFAULT 'x'",
    ])
    func commentsAndLiteralsDoNotCount(_ sql: String) {
        #expect(rules(sql) == [], "\(sql)")
    }

    @Test func aContractMigrationMayRemoveWhenItNamesARelease() {
        let contract = Migration.Kind.contract(release: "2027.03", removes: "outbox.payload, read by releases before 2027.03")
        #expect(rules("ALTER TABLE outbox DROP COLUMN payload; DROP TABLE old_events", kind: contract) == [])
        #expect(rules("ALTER TABLE outbox DROP COLUMN payload", kind: .contract(release: " ", removes: "outbox.payload"))
            == [.contractWithoutRelease])
        #expect(rules("DROP TABLE old_events", kind: .contract(release: "2027.03", removes: "")) == [.contractWithoutRelease])
    }

    @Test func findingsNameTheMigrationTheRuleAndTheStatement() {
        let migration = Migration(version: 7, name: "tidy", kind: .expand, sql: "CREATE TABLE a (x TEXT);\n-- why\nDROP TABLE b;")
        let findings = MigrationLint().findings(in: [migration])
        #expect(findings == [MigrationLint.Finding(version: 7, name: "tidy", rule: .dropTable, statement: "DROP TABLE b")])
        #expect(findings.first?.description == "migration 7 (tidy) drops a table (or view, schema, sequence, type) the previous release may use [dropTable]: DROP TABLE b")
    }

    @Test("every migration of both dialects passes the lint", arguments: ["postgres", "sqlite"])
    func realMigrationsPass(_ dialect: String) {
        let migrations = dialect == "postgres" ? Migration.postgres : Migration.sqlite
        #expect(!migrations.isEmpty)
        let findings = MigrationLint().findings(in: migrations)
        #expect(findings.isEmpty, "\(findings.map(\.description).joined(separator: "\n"))")
    }
}
