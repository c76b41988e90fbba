import Foundation
import Logging
import PostgresNIO
import SpectralCatalog

/// The decision log (`spectral.decision_log`). Ids are stored as `uuid`, which PostgreSQL
/// orders by its bytes: the order of UUIDv7s is their time order.
extension PostgresStore {
    /// Rows per INSERT: each column is one array parameter, so this bounds the size of a
    /// statement's message (a logged input is typically a kilobyte), not its placeholders.
    static let decisionRowsPerStatement = 1_000

    public func append(_ records: [DecisionRecord]) async throws {
        guard !records.isEmpty else { return }
        try await transaction { [logger] connection in
            var start = records.startIndex
            while start < records.endIndex {
                let end = min(start + Self.decisionRowsPerStatement, records.endIndex)
                try await connection.checkedQuery(Self.insert(records[start..<end]), logger: logger)
                start = end
            }
        }
    }

    /// One INSERT of many decisions, one array per column, unnested into rows: the same
    /// short statement whatever the batch's size. The multi-row VALUES it replaces had 11
    /// placeholders a row, 5,500 for a batch of 500, which PostgreSQL parsed and planned
    /// anew for every batch and which had to be written as text first.
    private static func insert(_ records: ArraySlice<DecisionRecord>) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: 12)
        bindings.append(records.map(\.id.uuid))
        bindings.append(records.map(\.createdAt))
        bindings.append(records.map(\.predicate))
        bindings.append(records.map(\.version))
        bindings.append(records.map(\.input))
        bindings.append(PostgresTextArray(elements: records.map(\.outcome.columns.decision)))
        bindings.append(PostgresTextArray(elements: records.map(\.outcome.columns.errorCode)))
        bindings.append(records.map { Int64(clamping: $0.fuel) })
        bindings.append(records.map(\.latencyMicroseconds))
        bindings.append(PostgresTextArray(elements: records.map(\.caller)))
        bindings.append(records.map(\.generation))
        // Sent as text, cast to uuid by the statement: PostgresNIO cannot send `[UUID?]`.
        bindings.append(PostgresTextArray(elements: records.map { $0.shadowOf?.text }))
        return PostgresQuery(unsafeSQL: insertSQL, binds: bindings)
    }

    private static let insertSQL = """
        INSERT INTO spectral.decision_log
            (id, created_at, predicate, version, input, decision, error_code, fuel, latency_us, caller, generation, shadow_of)
        SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::int8[], $5::text[], $6::text[], $7::text[],
                             $8::int8[], $9::int8[], $10::text[], $11::int8[], $12::text[]::uuid[])
        """

    typealias DecisionRow = (UUID, Date, String, Int, String, String?, String?, Int64, Int64, String?, Int64, UUID?)

    static let decisionColumns = """
        SELECT id, created_at, predicate, version, input, decision, error_code, fuel, latency_us, caller, generation, shadow_of
        FROM spectral.decision_log
        """

    public func decision(id: DecisionID) async throws -> DecisionRecord? {
        try await withConnection { [logger] connection in
            let rows = try await connection.checkedQuery("\(unescaped: Self.decisionColumns) WHERE id = \(id.uuid)", logger: logger)
            for try await row in rows.decode(DecisionRow.self) { return Self.decisionRecord(row) }
            return nil
        }
    }

    public func decisions(matching filter: DecisionLogFilter, limit: Int, after cursor: DecisionID?) async throws -> DecisionLogPage {
        var conditions: [String] = [], bindings = PostgresBindings()
        func condition(_ text: String, _ value: some PostgresDynamicTypeEncodable) {
            bindings.append(value)
            conditions.append(text + " $\(bindings.count)")
        }
        if let predicate = filter.predicate { condition("predicate =", predicate) }
        if let version = filter.version { condition("version =", version) }
        if let since = filter.since { condition("created_at >=", since) }
        if let until = filter.until { condition("created_at <", until) }
        // The same range of ids: the primary key (or a predicate's index) finds a time range.
        if let lowest = filter.idLowerBound { condition("id >=", lowest.uuid) }
        if let above = filter.idUpperBound { condition("id <", above.uuid) }
        if let outcome = filter.outcome {
            let (sql, value) = outcome.sqlCondition(placeholder: "$\(bindings.count + 1)")
            if let value { bindings.append(value) }
            conditions.append(sql)
        }
        conditions.append(filter.shadow ? "shadow_of IS NOT NULL" : "shadow_of IS NULL")
        if let cursor { condition("id <", cursor.uuid) }
        let limit = max(0, limit)
        // One row past the page says whether another page follows.
        bindings.append(limit + 1)
        let sql = Self.decisionColumns + " WHERE " + conditions.joined(separator: " AND ")
            + " ORDER BY id DESC LIMIT $\(bindings.count)"
        let query = PostgresQuery(unsafeSQL: sql, binds: bindings)
        let rows = try await withConnection { [logger] connection in
            var rows: [DecisionRow] = []
            for try await row in try await connection.checkedQuery(query, logger: logger).decode(DecisionRow.self) { rows.append(row) }
            return rows
        }
        let records = rows.prefix(limit).map(Self.decisionRecord)
        return DecisionLogPage(records: records, nextCursor: rows.count > limit ? records.last?.id : nil)
    }

    public func oldestDecisionKept(keepingNewest count: Int) async throws -> DecisionID? {
        precondition(count >= 1, "retention keeps at least one decision")
        // An index-only walk of the primary key from the newest end: `count` entries.
        return try await withConnection { [logger] connection in
            let rows = try await connection.checkedQuery(
                "SELECT id FROM spectral.decision_log ORDER BY id DESC LIMIT 1 OFFSET \(count - 1)", logger: logger)
            for try await id in rows.decode(UUID.self) { return DecisionID(uuid: id) }
            return nil
        }
    }

    public func pruneDecisions(before cutoff: DecisionID, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        // SKIP LOCKED: two workers pruning at once take different rows instead of waiting
        // on (or deadlocking over) the same ones; whatever one skips, a later batch takes.
        return try await withConnection { [logger] connection in
            let rows = try await connection.checkedQuery("""
                WITH doomed AS (
                    SELECT id FROM spectral.decision_log WHERE id < \(cutoff.uuid) ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                DELETE FROM spectral.decision_log WHERE id IN (SELECT id FROM doomed) RETURNING 1
                """, logger: logger)
            var deleted = 0
            for try await _ in rows { deleted += 1 }
            return deleted
        }
    }

    private static func decisionRecord(_ row: DecisionRow) -> DecisionRecord {
        let (id, createdAt, predicate, version, input, decision, errorCode, fuel, latency, caller, generation, shadowOf) = row
        return DecisionRecord(
            id: DecisionID(uuid: id), createdAt: createdAt, predicate: predicate, version: version, input: input,
            outcome: decision.map { .decided(json: $0) } ?? .failed(code: errorCode ?? ""),
            fuel: UInt64(clamping: fuel), latencyMicroseconds: latency, caller: caller, generation: generation,
            shadowOf: shadowOf.map(DecisionID.init(uuid:)))
    }
}

extension DecisionID {
    /// As Foundation's UUID, for PostgreSQL's `uuid` columns: the same 16 bytes.
    var uuid: UUID {
        let (h, l) = (high.bigEndian, low.bigEndian)
        return withUnsafeBytes(of: (h, l)) { bytes in
            UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                        bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        }
    }

    init(uuid: UUID) {
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyBytes(from: withUnsafeBytes(of: uuid.uuid) { Array($0) }) }
        self.init(high: UInt64(bigEndian: words.0), low: UInt64(bigEndian: words.1))
    }
}
