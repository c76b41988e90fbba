import Foundation
import Logging
import PostgresNIO
import Spectral
import SpectralCatalog

/// Versions, the active pointer, activation and rollback.
extension PostgresStore {
    // MARK: Predicates

    public func predicates() async throws -> [PredicateSummary] {
        try await withConnection { [logger] connection in
            var versions: [String: [Int]] = [:]
            let versionRows = try await connection.checkedQuery("SELECT name, version FROM spectral.predicates ORDER BY name, version", logger: logger)
            for try await (name, version) in versionRows.decode((String, Int).self) { versions[name, default: []].append(version) }
            var summaries: [PredicateSummary] = []
            let rows = try await connection.checkedQuery(
                "SELECT name, latest_version, active_version, updated_at FROM spectral.predicate_names ORDER BY name", logger: logger)
            for try await (name, latest, active, updated) in rows.decode((String, Int, Int?, Date).self) {
                summaries.append(PredicateSummary(name: name, versions: versions[name] ?? [], activeVersion: active,
                                                  latestVersion: latest, updatedAt: updated))
            }
            return summaries
        }
    }

    typealias VersionRow = (String, Int, String, String, ByteBuffer, Int64?, String, String, String, Int64, Int64, Date, Bool, String?, String?, Double?,
                            String?, String?, String?)

    static let versionColumns = """
        SELECT p.name, p.version, p.source, p.declarations, p.bytecode, p.cost_bound, p.tests, p.author, p.description,
               p.generation, p.event_id, p.created_at, n.active_version IS NOT DISTINCT FROM p.version, p.returns,
               p.mask, p.log_sample, p.impact_report, p.held_reason, p.findings
        FROM spectral.predicates p JOIN spectral.predicate_names n ON n.name = p.name
        """

    public func versions(of name: String) async throws -> [PredicateVersion] {
        try await withConnection { [logger] connection in
            let rows = try await connection.checkedQuery("\(unescaped: Self.versionColumns) WHERE p.name = \(name) ORDER BY p.version", logger: logger)
            var versions: [PredicateVersion] = []
            for try await row in rows.decode(VersionRow.self) { versions.append(try Self.predicateVersion(row)) }
            return versions
        }
    }

    public func predicate(_ name: String, version: Int?) async throws -> PredicateVersion? {
        try await withConnection { [logger] connection in
            let rows = try await connection.checkedQuery(version.map { version in
                "\(unescaped: Self.versionColumns) WHERE p.name = \(name) AND p.version = \(version)"
            } ?? "\(unescaped: Self.versionColumns) WHERE p.name = \(name) AND p.version = n.active_version", logger: logger)
            for try await row in rows.decode(VersionRow.self) { return try Self.predicateVersion(row) }
            return nil
        }
    }

    static func predicateVersion(_ row: VersionRow) throws -> PredicateVersion {
        let (name, version, source, declarations, bytecode, costBound, tests, author, description, generation, eventID, createdAt, isActive, returns, mask, logSample,
             impact, heldReason, findings) = row
        return PredicateVersion(
            name: name, version: version, source: source, declarations: try PredicateVersion.decodeDeclarations(declarations),
            bytecode: Array(bytecode.readableBytesView), costBound: costBound.map { UInt64($0) },
            tests: try PredicateVersion.decodeTests(tests), author: author, description: description,
            generation: generation, eventID: eventID, createdAt: createdAt, isActive: isActive, returns: returns ?? "bool",
            mask: try PredicateVersion.decodeMask(mask), logSample: try PredicateVersion.decodeLogSample(logSample),
            impact: try PredicateVersion.decodeImpact(impact), heldReason: heldReason,
            findings: try PredicateVersion.decodeFindings(findings))
    }

    public func activate(_ name: String, version: Int, by actor: String?) async throws {
        try await transaction { [self] connection in
            let exists = try await connection.checkedQuery("SELECT 1 FROM spectral.predicate_names WHERE name = \(name) FOR UPDATE", logger: logger)
            guard try await exists.decode(Int.self).first(where: { _ in true }) != nil else { throw StoreError.unknownPredicate(name) }
            let found = try await connection.checkedQuery(
                "SELECT 1 FROM spectral.predicates WHERE name = \(name) AND version = \(version)", logger: logger)
            guard try await found.decode(Int.self).first(where: { _ in true }) != nil else {
                throw StoreError.unknownVersion(name: name, version: version)
            }
            try await setActive(connection, name: name, version: version, action: .activate, actor: actor)
            try await notifyPredicates(connection, "\(name)@\(version)")
        }
    }

    public func rollback(_ name: String, by actor: String?) async throws -> Int {
        try await transaction { [self] connection in
            // Lock the name first: concurrent rollbacks of one predicate take turns.
            let locked = try await connection.checkedQuery("SELECT 1 FROM spectral.predicate_names WHERE name = \(name) FOR UPDATE", logger: logger)
            guard try await locked.decode(Int.self).first(where: { _ in true }) != nil else { throw StoreError.unknownPredicate(name) }
            var entries: [(version: Int, action: String)] = []
            let rows = try await connection.checkedQuery(
                "SELECT version, action FROM spectral.activations WHERE name = \(name) ORDER BY id", logger: logger)
            for try await (version, action) in rows.decode((Int, String).self) { entries.append((version, action)) }
            guard let target = ActivationHistory(entries).rollbackTarget else { throw StoreError.nothingToRollBack(name) }
            try await setActive(connection, name: name, version: target, action: .rollback, actor: actor)
            try await notifyPredicates(connection, "\(name)@\(target)")
            return target
        }
    }

    func setActive(_ connection: PostgresConnection, name: String, version: Int, action: ActivationHistory.Action, actor: String?) async throws {
        try await connection.checkedQuery(
            "UPDATE spectral.predicate_names SET active_version = \(version), updated_at = now() WHERE name = \(name)", logger: logger)
        try await connection.checkedQuery(
            "INSERT INTO spectral.activations (name, version, action, actor) VALUES (\(name), \(version), \(action.rawValue), \(actor))",
            logger: logger)
    }

    public func activations(of name: String) async throws -> [ActivationEvent] {
        try await withConnection { [logger] connection in
            let rows = try await connection.checkedQuery(
                "SELECT version, action, actor, created_at FROM spectral.activations WHERE name = \(name) ORDER BY id", logger: logger)
            var events: [ActivationEvent] = []
            for try await (version, action, actor, at) in rows.decode((Int, String, String?, Date).self) {
                events.append(ActivationEvent(version: version, action: action, actor: actor, at: at))
            }
            return events
        }
    }

    /// Delivered at commit, and only if the transaction commits.
    func notifyPredicates(_ connection: PostgresConnection, _ reference: String) async throws {
        try await connection.checkedQuery("SELECT pg_notify(\(NotificationChannel.predicates.rawValue), \(reference))", logger: logger)
    }
}
