import Foundation
import GRDB
import SpectralCatalog

/// The decision log (`decision_log`). Ids are stored as their canonical text, whose order
/// is the ids' order; times as UTC text to the millisecond, as GRDB writes a `Date`.
extension SQLiteStore {
    public func append(_ records: [DecisionRecord]) async throws {
        guard !records.isEmpty else { return }
        try await writeTransaction { db in
            let insert = try SQLiteDecisionInsert(db)
            for record in records { try insert.insert(record) }
        }
    }

    public func decision(id: DecisionID) async throws -> DecisionRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM decision_log WHERE id = ?", arguments: [id.text]).flatMap(Self.decisionRecord)
        }
    }

    public func decisions(matching filter: DecisionLogFilter, limit: Int, after cursor: DecisionID?) async throws -> DecisionLogPage {
        var conditions: [String] = [], arguments: StatementArguments = []
        if let predicate = filter.predicate { conditions.append("predicate = ?"); arguments += [predicate] }
        if let version = filter.version { conditions.append("version = ?"); arguments += [version] }
        if let since = filter.since { conditions.append("created_at >= ?"); arguments += [since] }
        if let until = filter.until { conditions.append("created_at < ?"); arguments += [until] }
        // The same range of ids: the primary key (or a predicate's index) finds a time range.
        if let lowest = filter.idLowerBound { conditions.append("id >= ?"); arguments += [lowest.text] }
        if let above = filter.idUpperBound { conditions.append("id < ?"); arguments += [above.text] }
        if let outcome = filter.outcome {
            let (condition, value) = outcome.sqlCondition(placeholder: "?")
            conditions.append(condition)
            if let value { arguments += [value] }
        }
        conditions.append(filter.shadow ? "shadow_of IS NOT NULL" : "shadow_of IS NULL")
        if let cursor { conditions.append("id < ?"); arguments += [cursor.text] }
        let limit = max(0, limit)
        // One row past the page says whether another page follows.
        arguments += [limit + 1]
        let sql = "SELECT * FROM decision_log WHERE " + conditions.joined(separator: " AND ")
            + " ORDER BY id DESC LIMIT ?"
        let rows = try await pool.read { [arguments] db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
        let records = rows.prefix(limit).compactMap(Self.decisionRecord)
        return DecisionLogPage(records: records, nextCursor: rows.count > limit ? records.last?.id : nil)
    }

    public func oldestDecisionKept(keepingNewest count: Int) async throws -> DecisionID? {
        precondition(count >= 1, "retention keeps at least one decision")
        // Walks the primary key from the newest end: `count` entries, no table rows.
        let text = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM decision_log ORDER BY id DESC LIMIT 1 OFFSET ?", arguments: [count - 1])
        }
        return text.flatMap { DecisionID(text: $0) }
    }

    public func pruneDecisions(before cutoff: DecisionID, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        // SQLite has one writer at a time: a bounded batch keeps the decision log's writer
        // (and every other write) waiting for milliseconds, not for the whole backlog.
        return try await writeTransaction { db in
            try db.execute(sql: """
                DELETE FROM decision_log WHERE id IN (SELECT id FROM decision_log WHERE id < ? ORDER BY id LIMIT ?)
                """, arguments: [cutoff.text, limit])
            return db.changesCount
        }
    }

    /// Nil for a row whose id is not an id (written by hand): skipped rather than failing
    /// the whole listing.
    private static func decisionRecord(_ row: Row) -> DecisionRecord? {
        guard let id = DecisionID(text: row["id"] as String) else { return nil }
        let decision: String? = row["decision"]
        return DecisionRecord(
            id: id, createdAt: row["created_at"], predicate: row["predicate"], version: row["version"], input: row["input"],
            outcome: decision.map { .decided(json: $0) } ?? .failed(code: row["error_code"]),
            fuel: UInt64(clamping: row["fuel"] as Int64), latencyMicroseconds: row["latency_us"], caller: row["caller"],
            generation: row["generation"], shadowOf: (row["shadow_of"] as String?).flatMap { DecisionID(text: $0) })
    }
}

extension DecisionRecord.Outcome {
    /// The `decision` and `error_code` columns: exactly one of them is set.
    var columns: (decision: String?, errorCode: String?) {
        switch self {
        case .decided(let json): return (json, nil)
        case .failed(let code): return (nil, code)
        }
    }
}
