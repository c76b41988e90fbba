import Foundation
import GRDB
import Spectral
import SpectralCatalog

/// Versions, the active pointer, activation and rollback.
extension SQLiteStore {
    // MARK: Predicates

    public func predicates() async throws -> [PredicateSummary] {
        try await pool.read { db in
            var versions: [String: [Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, version FROM predicates ORDER BY name, version") {
                versions[row["name"], default: []].append(row["version"])
            }
            return try Row.fetchAll(db, sql: "SELECT name, latest_version, active_version, updated_at FROM predicate_names ORDER BY name").map { row in
                let name: String = row["name"]
                return PredicateSummary(name: name, versions: versions[name] ?? [], activeVersion: row["active_version"],
                                        latestVersion: row["latest_version"], updatedAt: row["updated_at"])
            }
        }
    }

    static let versionColumns = """
        p.name, p.version, p.source, p.declarations, p.bytecode, p.cost_bound, p.tests, p.author, p.description,
        p.generation, p.event_id, p.created_at, (n.active_version IS p.version) AS is_active, p.returns,
        p.mask, p.log_sample, p.impact_report, p.held_reason, p.findings
        FROM predicates p JOIN predicate_names n ON n.name = p.name
        """

    public func versions(of name: String) async throws -> [PredicateVersion] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.versionColumns) WHERE p.name = ? ORDER BY p.version", arguments: [name])
                .map(Self.predicateVersion)
        }
    }

    public func predicate(_ name: String, version: Int?) async throws -> PredicateVersion? {
        try await pool.read { db in
            let row: Row?
            if let version {
                row = try Row.fetchOne(db, sql: "SELECT \(Self.versionColumns) WHERE p.name = ? AND p.version = ?", arguments: [name, version])
            } else {
                row = try Row.fetchOne(db, sql: "SELECT \(Self.versionColumns) WHERE p.name = ? AND p.version = n.active_version", arguments: [name])
            }
            return try row.map(Self.predicateVersion)
        }
    }

    static func predicateVersion(_ row: Row) throws -> PredicateVersion {
        let bytecode: Data = row["bytecode"]
        let costBound: Int64? = row["cost_bound"]
        return PredicateVersion(
            name: row["name"], version: row["version"], source: row["source"],
            declarations: try PredicateVersion.decodeDeclarations(row["declarations"]),
            bytecode: [UInt8](bytecode), costBound: costBound.map { UInt64($0) },
            tests: try PredicateVersion.decodeTests(row["tests"]), author: row["author"], description: row["description"],
            generation: row["generation"], eventID: row["event_id"], createdAt: row["created_at"], isActive: row["is_active"],
            returns: row["returns"] ?? "bool", mask: try PredicateVersion.decodeMask(row["mask"]),
            logSample: try PredicateVersion.decodeLogSample(row["log_sample"]),
            impact: try PredicateVersion.decodeImpact(row["impact_report"]), heldReason: row["held_reason"],
            findings: try PredicateVersion.decodeFindings(row["findings"]))
    }

    public func activate(_ name: String, version: Int, by actor: String?) async throws {
        try await writeTransaction { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM predicate_names WHERE name = ?", arguments: [name]) != nil else {
                throw StoreError.unknownPredicate(name)
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM predicates WHERE name = ? AND version = ?", arguments: [name, version]) != nil else {
                throw StoreError.unknownVersion(name: name, version: version)
            }
            try Self.setActive(db, name: name, version: version, action: .activate, actor: actor)
        }
        LocalNotifications.shared.post(path: path, channel: .predicates, payload: "\(name)@\(version)")
    }

    public func rollback(_ name: String, by actor: String?) async throws -> Int {
        let target = try await writeTransaction { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM predicate_names WHERE name = ?", arguments: [name]) != nil else {
                throw StoreError.unknownPredicate(name)
            }
            let entries = try Row.fetchAll(db, sql: "SELECT version, action FROM activations WHERE name = ? ORDER BY id", arguments: [name])
            let history = ActivationHistory(entries.map { (version: $0["version"], action: $0["action"]) })
            guard let target = history.rollbackTarget else { throw StoreError.nothingToRollBack(name) }
            try Self.setActive(db, name: name, version: target, action: .rollback, actor: actor)
            return target
        }
        LocalNotifications.shared.post(path: path, channel: .predicates, payload: "\(name)@\(target)")
        return target
    }

    static func setActive(_ db: Database, name: String, version: Int, action: ActivationHistory.Action, actor: String?) throws {
        try db.execute(sql: "UPDATE predicate_names SET active_version = ?, updated_at = \(now) WHERE name = ?", arguments: [version, name])
        try db.execute(sql: "INSERT INTO activations (name, version, action, actor) VALUES (?, ?, ?, ?)",
                       arguments: [name, version, action.rawValue, try actor.map(storableText)])
    }

    public func activations(of name: String) async throws -> [ActivationEvent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT version, action, actor, created_at FROM activations WHERE name = ? ORDER BY id", arguments: [name])
                .map { ActivationEvent(version: $0["version"], action: $0["action"], actor: $0["actor"], at: $0["created_at"]) }
        }
    }
}
