/// The migrations of each dialect, in order: `Migrations/<dialect>_NNNN_name.sql` beside
/// this file, compiled into the binary by SwiftPM (`.embedInCode`). A new migration is a
/// new file and a new line here; `MigrationTests` fail while the two disagree.
extension Migration {
    static let postgres: [Migration] = [
        Migration(version: 1, name: "predicates_and_outbox", kind: .expand, file: PackageResources.postgres_0001_predicates_and_outbox_sql),
        Migration(version: 2, name: "api_keys", kind: .expand, file: PackageResources.postgres_0002_api_keys_sql),
        Migration(version: 3, name: "outbox_claims", kind: .expand, file: PackageResources.postgres_0003_outbox_claims_sql),
        Migration(version: 4, name: "workers", kind: .expand, file: PackageResources.postgres_0004_workers_sql),
        Migration(version: 5, name: "predicate_returns", kind: .expand, file: PackageResources.postgres_0005_predicate_returns_sql),
        Migration(version: 6, name: "decision_log", kind: .expand, file: PackageResources.postgres_0006_decision_log_sql),
        Migration(version: 7, name: "predicate_log_policy", kind: .expand, file: PackageResources.postgres_0007_predicate_log_policy_sql),
        Migration(version: 8, name: "decision_log_failures", kind: .expand, file: PackageResources.postgres_0008_decision_log_failures_sql),
        Migration(version: 9, name: "impact_reports", kind: .expand, file: PackageResources.postgres_0009_impact_reports_sql),
        Migration(version: 10, name: "version_findings", kind: .expand, file: PackageResources.postgres_0010_version_findings_sql),
        Migration(version: 11, name: "shadow_decisions", kind: .expand, file: PackageResources.postgres_0011_shadow_decisions_sql),
        Migration(version: 12, name: "activation_actors", kind: .expand, file: PackageResources.postgres_0012_activation_actors_sql),
        Migration(version: 13, name: "decision_log_write_path", kind: .expand, file: PackageResources.postgres_0013_decision_log_write_path_sql),
        Migration(version: 14, name: "authoring_tasks", kind: .expand, file: PackageResources.postgres_0014_authoring_tasks_sql),
    ]

    static let sqlite: [Migration] = [
        Migration(version: 1, name: "predicates_and_outbox", kind: .expand, file: PackageResources.sqlite_0001_predicates_and_outbox_sql),
        Migration(version: 2, name: "api_keys", kind: .expand, file: PackageResources.sqlite_0002_api_keys_sql),
        Migration(version: 3, name: "outbox_claims", kind: .expand, file: PackageResources.sqlite_0003_outbox_claims_sql),
        Migration(version: 4, name: "workers", kind: .expand, file: PackageResources.sqlite_0004_workers_sql),
        Migration(version: 5, name: "predicate_returns", kind: .expand, file: PackageResources.sqlite_0005_predicate_returns_sql),
        Migration(version: 6, name: "decision_log", kind: .expand, file: PackageResources.sqlite_0006_decision_log_sql),
        Migration(version: 7, name: "predicate_log_policy", kind: .expand, file: PackageResources.sqlite_0007_predicate_log_policy_sql),
        Migration(version: 8, name: "decision_log_failures", kind: .expand, file: PackageResources.sqlite_0008_decision_log_failures_sql),
        Migration(version: 9, name: "impact_reports", kind: .expand, file: PackageResources.sqlite_0009_impact_reports_sql),
        Migration(version: 10, name: "version_findings", kind: .expand, file: PackageResources.sqlite_0010_version_findings_sql),
        Migration(version: 11, name: "shadow_decisions", kind: .expand, file: PackageResources.sqlite_0011_shadow_decisions_sql),
        Migration(version: 12, name: "activation_actors", kind: .expand, file: PackageResources.sqlite_0012_activation_actors_sql),
        // Drops and recreates the table under its name, which the lint rightly flags; every
        // release reads and writes the rebuilt table alike (same name, columns, constraint).
        Migration(version: 13, name: "decision_log_write_path",
                  kind: .contract(release: "every release since 0006: the rebuilt table has the same name, columns and constraint",
                                  removes: "decision_log's WITHOUT ROWID layout and its created_at index"),
                  file: PackageResources.sqlite_0013_decision_log_write_path_sql),
        Migration(version: 14, name: "authoring_tasks", kind: .expand, file: PackageResources.sqlite_0014_authoring_tasks_sql),
    ]
}
