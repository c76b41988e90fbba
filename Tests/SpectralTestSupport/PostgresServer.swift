import Foundation
import Synchronization

/// A real PostgreSQL server for tests, in a temporary data directory on a free loopback
/// port, started by the test process itself: `initdb` + `pg_ctl` from the Debian package
/// (`/usr/lib/postgresql/*/bin`, or `SPECTRAL_TEST_POSTGRES_BIN`). PostgreSQL refuses to
/// run as root, so under root the server runs as the `postgres` user.
///
/// `shared` is one server per test process, stopped when the process exits; tests that
/// restart or stop the server start their own with `start()`. Each test takes a fresh
/// database from `createDatabase()`.
public final class PostgresServer: Sendable {
    public let port: Int
    public let dataDirectory: String
    let binDirectory: String

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private static let sharedServer = Mutex<Result<PostgresServer, Failure>?>(nil)

    /// The process-wide server, started on first use.
    public static func shared() throws -> PostgresServer {
        try sharedServer.withLock { cached in
            if let cached { return try cached.get() }
            let result = Result { () throws(Failure) in try start() }
            cached = result
            if case .success(let server) = result { stopAtExit(server) }
            return try result.get()
        }
    }

    /// Starts a new server. `fsync` off makes tests faster; figures are measured with it on.
    public static func start(fsync: Bool = false) throws(Failure) -> PostgresServer {
        let bin = try findBinDirectory()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("spectral-pg-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch { throw Failure(description: "cannot create \(directory): \(error)") }
        if getuid() == 0 { try run("/bin/chown", ["-R", "postgres:postgres", directory], asPostgres: false) }
        try run("\(bin)/initdb", ["-D", "\(directory)/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"])
        var lastError: Failure?
        for _ in 0..<20 {
            let port = Int.random(in: 20_000...60_000)
            let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=\(fsync ? "on" : "off") -c max_connections=200"
            do {
                try run("\(bin)/pg_ctl", ["-D", "\(directory)/data", "-o", options, "-l", "\(directory)/server.log", "-w", "-t", "30", "start"])
                return PostgresServer(port: port, dataDirectory: directory, binDirectory: bin)
            } catch {
                lastError = error  // most likely the port was taken; try another
            }
        }
        throw lastError ?? Failure(description: "PostgreSQL did not start")
    }

    init(port: Int, dataDirectory: String, binDirectory: String) {
        self.port = port
        self.dataDirectory = dataDirectory
        self.binDirectory = binDirectory
    }

    /// A new, empty database; returns its `postgres://` URL.
    public func createDatabase(prefix: String = "spectral_test") throws -> String {
        let name = "\(prefix)_\(UInt64.random(in: 0...UInt64.max) % 1_000_000_000_000)"
        try Self.run("\(binDirectory)/psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres",
                                              "-v", "ON_ERROR_STOP=1", "-q", "-c", "CREATE DATABASE \(name)"])
        return url(database: name)
    }

    public func url(database: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Runs SQL with psql and returns its unaligned, tuples-only output.
    @discardableResult
    public func psql(_ database: String, _ sql: String) throws -> String {
        try Self.run("\(binDirectory)/psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database,
                                              "-v", "ON_ERROR_STOP=1", "-q", "-A", "-t", "-c", sql])
    }

    public func stop(mode: String = "fast") throws {
        try Self.run("\(binDirectory)/pg_ctl", ["-D", "\(dataDirectory)/data", "-m", mode, "-w", "stop"])
    }

    public func startAgain() throws {
        let options = "-p \(port) -k \(dataDirectory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        try Self.run("\(binDirectory)/pg_ctl", ["-D", "\(dataDirectory)/data", "-o", options, "-l", "\(dataDirectory)/server.log",
                                                "-w", "-t", "30", "start"])
    }

    /// Freezes the server (SIGSTOP to the postmaster and every backend) or thaws it
    /// (SIGCONT): a host that stopped answering without closing any connection. Linux only
    /// (the backends are found through /proc).
    public func freeze() throws { try signalAll(SIGSTOP) }
    public func thaw() throws { try signalAll(SIGCONT) }

    private func signalAll(_ signal: Int32) throws {
        let pidFile = try String(contentsOfFile: "\(dataDirectory)/data/postmaster.pid", encoding: .utf8)
        guard let postmaster = pidFile.split(separator: "\n").first.flatMap({ pid_t($0) }) else {
            throw Failure(description: "no postmaster pid in \(dataDirectory)/data/postmaster.pid")
        }
        var pids = [postmaster]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // After "pid (comm) ": the state, then the parent pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, pid_t(fields[1]) == postmaster { pids.append(pid) }
        }
        for pid in pids { kill(pid, signal) }
    }

    /// Stops the server and deletes its data directory.
    public func destroy() {
        try? stop(mode: "immediate")
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    // MARK: Processes

    private static func findBinDirectory() throws(Failure) -> String {
        if let bin = ProcessInfo.processInfo.environment["SPECTRAL_TEST_POSTGRES_BIN"] { return bin }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        throw Failure(description: "PostgreSQL server binaries not found under \(root): install the Debian package `postgresql` (.ci/run does)")
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], asPostgres: Bool = true) throws(Failure) -> String {
        do {
            if asPostgres && getuid() == 0 {
                return try ChildProcess.run("/usr/sbin/runuser", ["-u", "postgres", "--", executable] + arguments)
            }
            return try ChildProcess.run(executable, arguments)
        } catch {
            throw Failure(description: error.description)
        }
    }

    private static func stopAtExit(_ server: PostgresServer) {
        atExitServers.withLock { $0.append(server) }
        atexit {
            for server in PostgresServer.atExitServers.withLock({ $0 }) { server.destroy() }
        }
    }

    private static let atExitServers = Mutex<[PostgresServer]>([])
}
