import Foundation
import GRDB
import Logging
import Spectral
import SpectralCatalog
import SpectralStore
import SpectralWorker
import SpectralTestSupport
import Synchronization
import Testing

/// Shared helpers of the store tests: fresh databases on both backends, a quiet logger,
/// raw SQL access for assertions the `Store` protocol does not expose, and shortcuts for
/// publishing through the outbox.

let quietLogger = Logger(label: "spectral.test") { _ in SwiftLogNoOpLogHandler() }

/// One fresh database of a backend, with raw SQL access for assertions.
struct TestDatabase: Sendable {
    let backend: TestBackend
    let url: String

    init(_ backend: TestBackend) async throws {
        self.backend = backend
        url = try await offThePool { try backend.freshDatabaseURL() }
    }

    /// A new store on this database, running until closed (several may be open at once).
    func open() async throws -> any Store {
        try await StoreLocation(url: url).openRunning(logger: quietLogger)
    }

    /// The SQLite file.
    var sqlitePath: String {
        precondition(backend == .sqlite)
        return String(url.dropFirst("sqlite:".count))
    }

    /// The PostgreSQL database name: the URL's last path component before `?`.
    var postgresDatabase: String {
        precondition(backend == .postgres)
        let path = url.split(separator: "?", maxSplits: 1)[0]
        return String(path.split(separator: "/").last!)
    }

    /// Runs SQL with raw access (psql, or GRDB on the SQLite file) and returns the rows,
    /// each as its columns joined by `|`. Table names are those of SQLite; PostgreSQL
    /// resolves them through `search_path = spectral`.
    @discardableResult
    func sql(_ text: String) async throws -> [String] {
        let (backend, postgresDatabase, sqlitePath) = (backend, backend == .postgres ? postgresDatabase : "",
                                                        backend == .sqlite ? sqlitePath : "")
        return try await offThePool { try Self.runSQL(text, backend: backend, postgresDatabase: postgresDatabase, sqlitePath: sqlitePath) }
    }

    private static func runSQL(_ text: String, backend: TestBackend, postgresDatabase: String, sqlitePath: String) throws -> [String] {
        switch backend {
        case .postgres:
            let output = try PostgresServer.shared().psql(postgresDatabase, "SET search_path = spectral; \(text)")
            return output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        case .sqlite:
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: sqlitePath, configuration: configuration)
            defer { try? queue.close() }
            return try queue.write { db in
                try Row.fetchAll(db, sql: text).map { row in
                    row.databaseValues.map { value -> String in
                        switch value.storage {
                        case .null: return ""
                        case .int64(let int): return String(int)
                        case .double(let double): return String(double)
                        case .string(let string): return string
                        case .blob(let data): return data.map { String(format: "%02x", $0) }.joined()
                        }
                    }.joined(separator: "|")
                }
            }
        }
    }

    /// `SELECT count(*) …` as an Int.
    func count(_ query: String) async throws -> Int {
        let rows = try await sql(query)
        return Int(rows.first ?? "") ?? -1
    }
}

/// Opens a store on fresh storage (migrated unless told otherwise), runs `body`, closes it.
@discardableResult
func withStore<T>(_ backend: TestBackend, migrated: Bool = true,
                  _ body: (any Store, TestDatabase) async throws -> T) async throws -> T {
    let database = try await TestDatabase(backend)
    return try await StoreLocation(url: database.url).withStore(logger: quietLogger) { store in
        if migrated { _ = try await store.migrate() }
        return try await body(store, database)
    }
}

// MARK: Predicates through the outbox

let adultSource = "user.age >= 18"
/// Every variant of the source the tests publish must accept this age (the attached test).
let adultDeclarations = ["user": "map(string, dyn)"]

func adultRequest(name: String = "adult", source: String = adultSource, activate: Bool = true) throws -> PredicateDefinition {
    PredicateDefinition(name: name, source: source, declarations: adultDeclarations,
                     tests: [PredicateTest(name: "grown-up", input: try JSONValue.parse(#"{"user": {"age": 50}}"#), expect: .bool(true))],
                     description: "adults only", author: "tests", activate: activate)
}

/// The effect the authoring handler would produce for a valid request.
func publishEffect(_ request: PredicateDefinition) throws -> HandlerEffect {
    let outcome = PredicateValidator().validate(source: request.source, declarations: request.declarations, tests: request.tests)
    guard case .accepted(let accepted) = outcome else {
        throw TestFailure("the request does not validate: \(outcome)")
    }
    return .publish(.init(request: request, bytecode: accepted.bytecode, costBound: accepted.costBound))
}

/// Submits an event of `generation` and claims it with a handler returning `effect`.
/// The outbox must hold no older claimable event of that generation.
@discardableResult
func submitAndHandle(_ store: any Store, _ effect: HandlerEffect, payload: String = "{}",
                     generation: Int64 = 1) async throws -> (id: Int64, handled: HandledEvent) {
    let id = try await store.submit(topic: "test.topic", payload: payload, generation: generation)
    let handled = try await store.claimNext(generation: generation) { _ in ("test.handler", effect) }
    guard let handled else { throw TestFailure("event \(id) was not claimable") }
    guard handled.event.id == id else { throw TestFailure("claimed event \(handled.event.id), expected \(id)") }
    return (id, handled)
}

/// Publishes a version of `request` through the outbox and returns its number.
@discardableResult
func publish(_ store: any Store, _ request: PredicateDefinition) async throws -> Int {
    let (_, handled) = try await submitAndHandle(store, try publishEffect(request), payload: request.jsonValue.serialized())
    guard case .published(let name, let version) = handled.result, name == request.name else {
        throw TestFailure("expected a publication of \(request.name), got \(handled.result)")
    }
    return version
}

extension OutboxBacklog {
    /// The backlog as text, for comparisons (its initializer is internal).
    var summary: String { "pending \(pending), dead \(dead), age \(oldestPendingAge)" }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: Waiting without hanging


/// Collects notification payloads and waits for one, time-boxed.
final class NotificationRecorder: Sendable {
    private let payloads = Mutex<[String]>([])
    private let doorbell = Doorbell()

    func record(_ payload: String) {
        payloads.withLock { $0.append(payload) }
        doorbell.ring()
    }

    var received: [String] { payloads.withLock { $0 } }

    /// True once a payload satisfying `condition` was received, false after `timeout`.
    func wait(timeout: Duration = .seconds(5), for condition: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if received.contains(where: condition) { return true }
            let now = ContinuousClock.now
            if now >= deadline { return false }
            await doorbell.wait(timeout: deadline - now)
        }
    }
}

extension StoreLocation {
    /// Opens the store and runs it in a task of its own until `close()` ends it: for tests
    /// that hold several stores, or make one in a fixture and close it at the end, where a
    /// scope (`withStore`, `whileRunning`) does not fit.
    func openRunning(logger: Logger) async throws -> any Store {
        let store = try await open(logger: logger)
        Task { try? await store.run() }
        return store
    }
}
