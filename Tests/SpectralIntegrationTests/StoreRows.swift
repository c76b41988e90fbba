import GRDB

/// The rows a restore must bring back, read straight from a SQLite file: each table's rows
/// keyed by primary key, every column's value as SQLite stores it (blobs as bytes), so two
/// files compare byte for byte.
struct StoreRows {
    typealias Rows = [String: [DatabaseValue]]
    var predicates: Rows = [:]
    var activations: Rows = [:]
    var outbox: Rows = [:]
    var eventHandled: Rows = [:]

    var outboxColumnNames: [String] = []

    /// Each outbox row's columns that no claim or completion changes: what a row still
    /// pending when read must keep in a later snapshot.
    var outboxAsSubmitted: Rows {
        let kept = ["id", "generation", "topic", "payload", "created_at"].compactMap { outboxColumnNames.firstIndex(of: $0) }
        return outbox.mapValues { values in kept.map { values[$0] } }
    }

    /// The outbox rows whose event was handled: final, so a later snapshot holds them unchanged.
    var outboxDone: Rows {
        guard let status = outboxColumnNames.firstIndex(of: "status") else { return [:] }
        return outbox.filter { $0.value[status] == "done".databaseValue }
    }

    static func read(_ path: String) throws -> StoreRows {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        // One read transaction: the four tables as of one moment.
        return try queue.read { db in
            func rows(_ key: String, _ table: String) throws -> Rows {
                var rows: Rows = [:]
                for row in try Row.fetchAll(db, sql: "SELECT \(key) AS row_key, * FROM \(table)") {
                    rows[row["row_key"]] = Array(row.databaseValues.dropFirst())
                }
                return rows
            }
            return StoreRows(predicates: try rows("name || '@' || version", "predicates"),
                             activations: try rows("CAST(id AS TEXT)", "activations"),
                             outbox: try rows("CAST(id AS TEXT)", "outbox"),
                             eventHandled: try rows("event_id || '/' || handler", "event_handled"),
                             outboxColumnNames: try db.columns(in: "outbox").map(\.name))
        }
    }
}
