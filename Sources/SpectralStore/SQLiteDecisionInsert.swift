import GRDB
import GRDBSQLite
import SpectralCatalog

/// The decision log's INSERT, prepared once per batch on the writing connection and run
/// once per decision through SQLite's C API: each column bound straight from the record
/// (the id formatted on the stack, the time by `UTCTime`). GRDB's `execute(arguments:)`
/// boxes every value as a `DatabaseValueConvertible` in an array first, which cost about
/// as much per row as SQLite's own insert; the batch writer runs it for every decision.
struct SQLiteDecisionInsert: ~Copyable {
    private let connection: OpaquePointer
    private let statement: OpaquePointer

    static let sql = """
        INSERT INTO decision_log (id, created_at, predicate, version, input, decision, error_code, fuel, latency_us, caller, generation, shadow_of)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    init(_ db: Database) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the connection is closed") }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, Self.sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: Self.sql)
        }
        self.connection = connection
        self.statement = statement
    }

    deinit { sqlite3_finalize(statement) }

    /// Inserts `record`; a failure (a constraint, a full disk) throws as GRDB would.
    func insert(_ record: DecisionRecord) throws {
        sqlite3_reset(statement)
        let (decision, errorCode) = record.outcome.columns
        record.id.withText { bindText(1, $0) }
        bindText(2, UTCTime(record.createdAt).sqliteText)
        bindText(3, record.predicate)
        sqlite3_bind_int64(statement, 4, Int64(record.version))
        bindText(5, record.input)
        bindText(6, decision)
        bindText(7, errorCode)
        sqlite3_bind_int64(statement, 8, Int64(clamping: record.fuel))
        sqlite3_bind_int64(statement, 9, record.latencyMicroseconds)
        bindText(10, record.caller)
        sqlite3_bind_int64(statement, 11, record.generation)
        if let shadowOf = record.shadowOf { shadowOf.withText { bindText(12, $0) } } else { sqlite3_bind_null(statement, 12) }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            // The statement's error, read before the reset that the next use begins with.
            throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                                message: String(cString: sqlite3_errmsg(connection)), sql: Self.sql)
        }
    }

    private func bindText(_ index: Int32, _ text: String?) {
        guard var text else {
            sqlite3_bind_null(statement, index)
            return
        }
        text.withUTF8 { bindText(index, $0) }
    }

    /// SQLite copies the bytes (`SQLITE_TRANSIENT`): they live only as long as the call.
    private func bindText(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        bytes.withMemoryRebound(to: CChar.self) { chars in
            if let start = chars.baseAddress, !chars.isEmpty {
                _ = sqlite3_bind_text(statement, index, start, Int32(chars.count), Self.transient)
            } else {
                _ = sqlite3_bind_text(statement, index, "", 0, Self.transient)
            }
        }
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
