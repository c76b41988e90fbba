// spectral-outbox-load: the outbox figures of Benchmarks/outbox.sh. For each store it
// measures, against a real server or file:
//   - throughput: predicate.authored events handled per second by one `spectral work`
//     process draining a backlog (from the first to the last handled_at, so start-up is
//     not counted);
//   - commit-to-visible latency: from the moment `submit` has committed until the
//     published version is readable from the store, one event at a time, p50/p99 —
//     woken by LISTEN/NOTIFY (PostgreSQL), by the in-process signal (SQLite, worker in
//     this process), and by polling only.
// Usage: spectral-outbox-load --spectral PATH [--events N] [--samples N] [--poll-ms N]
import Foundation
import Logging
import Spectral
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import SpectralWorker
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var spectral = ""
    var events = 2000
    var samples = 200
    var pollMilliseconds = 100

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            let value = iterator.next() ?? ""
            switch flag {
            case "--spectral": spectral = value
            case "--events": events = Int(value) ?? events
            case "--samples": samples = Int(value) ?? samples
            case "--poll-ms": pollMilliseconds = Int(value) ?? pollMilliseconds
            default: fatalError("unknown option \(flag)")
            }
        }
        precondition(!spectral.isEmpty, "--spectral PATH (a release build of spectral) is required")
    }
}

let options = Options(CommandLine.arguments)
var quiet = Logger(label: "outbox-load")
quiet.logLevel = .error

func request(_ index: Int) -> String {
    PredicateDefinition(name: "load\(index % 100)", source: "x.n > \(index) && x.tier in ['gold', 'silver']",
                     declarations: ["x": "map(string, dyn)"],
                     tests: [PredicateTest(input: try! JSONValue.parse(#"{"x": {"n": \#(index + 1), "tier": "gold"}}"#), expect: .bool(true))],
                     author: "load").jsonValue.serialized()
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func startWorker(_ url: String, extra: [String]) throws -> ChildProcess {
    try ChildProcess.spawn(options.spectral, ["work", "--database-url", url] + extra, environment: ["SPECTRAL_LOG_LEVEL": "warning"])
}

/// Events per second of one worker process draining `options.events`.
func throughput(url: String, handledSpanSQL: (String) throws -> Double) async throws -> Double {
    try await StoreLocation(url: url).withStore(logger: quiet) { store in
        _ = try await store.migrate()
        for index in 0..<options.events {
            _ = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored, payload: request(index), generation: 1)
        }
        let worker = try startWorker(url, extra: ["--poll-interval", "50"])
        while try await store.backlog(generation: 1).pending > 0 { try await Task.sleep(for: .milliseconds(50)) }
        worker.send(SIGTERM)
        worker.wait()
    }
    return Double(options.events - 1) / (try handledSpanSQL(url))
}

/// Commit-to-visible latencies in milliseconds, one event at a time.
func latencies(store: any Store, samples: Int) async throws -> [Double] {
    var result: [Double] = []
    for index in 0..<samples {
        let id = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored, payload: request(100_000 + index), generation: 1)
        let committed = ContinuousClock.now
        while true {
            if case .published = try await store.status(ofEvent: id) { break }
            try await Task.sleep(for: .microseconds(200))
        }
        result.append((ContinuousClock.now - committed).inSeconds * 1000)
        // A random pause spreads submissions uniformly over the poll cycle (a fixed short
        // pause would land each one just after the worker's last empty claim).
        try await Task.sleep(for: .milliseconds(Int.random(in: 5...250)))
    }
    return result
}

func report(_ label: String, _ values: [Double]) {
    print(String(format: "  %-44@ p50 %7.2f ms   p99 %7.2f ms   (n=%d)", label as NSString, percentile(values, 0.5), percentile(values, 0.99), values.count))
}

// MARK: PostgreSQL (fsync on, as in production)

let server = try PostgresServer.start(fsync: true)
defer { server.destroy() }
print("PostgreSQL 15 (fsync on), release spectral at \(options.spectral)")
do {
    let url = try server.createDatabase(prefix: "load")
    let rate = try await throughput(url: url) { url in
        let database = String(url.split(separator: "/").last!.split(separator: "?").first!)
        return Double(try server.psql(database, "SELECT EXTRACT(EPOCH FROM max(handled_at) - min(handled_at)) FROM spectral.outbox")
            .trimmingCharacters(in: .whitespacesAndNewlines))!
    }
    print(String(format: "  throughput: %.0f predicate.authored events/s (%d events, one worker)", rate, options.events))

    try await StoreLocation(url: url).withStore(logger: quiet) { store in
        let listening = try startWorker(url, extra: ["--poll-interval", "1000"])
        try await Task.sleep(for: .seconds(1))
        report("commit→visible, LISTEN/NOTIFY (poll 1 s)", try await latencies(store: store, samples: options.samples))
        listening.send(SIGTERM)
        listening.wait()
        let polling = try startWorker(url, extra: ["--polling-only", "--poll-interval", String(options.pollMilliseconds)])
        try await Task.sleep(for: .seconds(1))
        report("commit→visible, polling only (\(options.pollMilliseconds) ms)", try await latencies(store: store, samples: options.samples))
        polling.send(SIGTERM)
        polling.wait()
    }
}

// MARK: SQLite (WAL, the embedded default)

print("SQLite (WAL)")
do {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spectral-load-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let url = "sqlite:\(directory)/spectral.sqlite"
    let rate = try await throughput(url: url) { url in
        let path = String(url.dropFirst("sqlite:".count))
        let output = try ChildProcess.run("/usr/bin/sqlite3", [path,
            "SELECT (julianday(max(handled_at)) - julianday(min(handled_at))) * 86400.0 FROM outbox"])
        return Double(output.trimmingCharacters(in: .whitespacesAndNewlines))!
    }
    print(String(format: "  throughput: %.0f predicate.authored events/s (%d events, one worker)", rate, options.events))

    // The in-process signal: the worker runs in this process, as under `spectral run` with SQLite.
    try await StoreLocation(url: url).withStore(logger: quiet) { store in
        let worker = OutboxWorker(store: store, configuration: WorkerConfiguration(pollInterval: .seconds(1)),
                                  handlers: [PredicateAuthoredHandler()], logger: quiet)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await worker.run() }
            try await Task.sleep(for: .milliseconds(300))
            report("commit→visible, in-process signal (poll 1 s)", try await latencies(store: store, samples: options.samples))
            worker.requestShutdown()
        }
        let polling = try startWorker(url, extra: ["--poll-interval", String(options.pollMilliseconds)])
        try await Task.sleep(for: .seconds(1))
        report("commit→visible, other process, polling (\(options.pollMilliseconds) ms)", try await latencies(store: store, samples: options.samples))
        polling.send(SIGTERM)
        polling.wait()
    }
}
