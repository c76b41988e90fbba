import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Spectral
import SpectralCatalog
@testable import SpectralHTTP
import SpectralStore
import SpectralTestSupport
import SpectralWorker
import Synchronization
import Testing

/// The decision log's policy, per predicate: masked input fields are never written
/// anywhere (the database's bytes, responses, error bodies, log lines), and the server's
/// and the predicate's sample rates choose which decisions are logged.
@Suite struct DecisionLogPolicyTests {
    /// A user declared by schema with a masked `ssn` and a masked `ip` (an IPv4 address,
    /// whose invalid value the binder would quote), a `home` address that is not masked,
    /// and cards whose numbers are masked in every element; `/pin` and the undeclared
    /// `/extra/token` masked by pointer.
    static let userSchema = """
        {"type": "object", "properties": {
          "age": {"type": "integer"}, "note": {"type": "string"},
          "ssn": {"type": "string", "x-masked": true},
          "ip": {"type": "string", "format": "ipv4", "x-masked": true},
          "home": {"type": "string", "format": "ipv4"},
          "cards": {"type": "array", "items": {"type": "object", "properties": {"number": {"type": "string", "x-masked": true}}}}},
         "required": ["age"]}
        """

    static let definition = """
        {"name": "kyc", "source": "user.age >= 18 && pin > 0", "declarations": {"user": \(userSchema), "pin": "int"},
         "mask": ["/pin", "/extra/token"], "log_sample": 1}
        """

    @Test(arguments: TestBackend.allCases)
    func maskedValuesAreNeverWrittenNorEchoed(_ backend: TestBackend) async throws {
        let url = try await offThePool { try backend.freshDatabaseURL() }
        let store = try await StoreLocation(url: url).openRunning(logger: Self.quietLogger)
        _ = try await store.migrate()
        try await Self.publish(Self.definition, in: store)

        // Secrets no other test writes, and a visible marker that must be found where the
        // secrets are searched for: a search that finds nothing proves nothing.
        let tag = UInt64.random(in: 0...UInt64.max)
        let ssn = "ssn-secret-\(tag)", ip = "ip-secret-\(tag)", card = "card-secret-\(tag)", token = "token-secret-\(tag)"
        let pin = 900_000_000 + Int(tag % 99_999_999)
        let visible = "visible-marker-\(tag)"
        let secrets = [ssn, ip, card, token, String(pin)]
        let input = #"{"user": {"age": 30, "note": "\#(visible)", "ssn": "\#(ssn)", "ip": "10.0.0.1", "cards": [{"number": "\#(card)"}, {"number": "\#(card)-2"}]}, "pin": \#(pin), "extra": {"token": "\#(token)"}}"#
        let badIP = #"{"user": {"age": 30, "ssn": "\#(ssn)", "ip": "\#(ip)", "home": "not-an-ip-\#(tag)"}, "pin": \#(pin)}"#

        let logs = LogLines()
        var configuration = ServerConfiguration(port: 0, generation: 3, authentication: .off)
        configuration.decisionLog = DecisionLogSettings(capacity: 100, batchSize: 2, interval: .milliseconds(10))
        let application = buildApplication(configuration: configuration, store: store, logger: logs.logger())
        let bodies = try await application.test(.router) { client in
            let decided = try await client.post("/v1/decide", #"{"predicate": "kyc", "input": \#(input)}"#)
            #expect(decided.status == .ok && decided.body.contains(#""decision":true"#), "\(decided.body)")
            // The invalid masked ip is named, not quoted; the invalid unmasked home is quoted,
            // as every input error always was.
            let failed = try await client.post("/v1/decide", #"{"predicate": "kyc", "input": \#(badIP)}"#)
            #expect(failed.status == .unprocessableContent && errorCode(failed.body) == "invalid_input")
            #expect(failed.body.contains("/user/ip: not an IPv4 address") && failed.body.contains("not-an-ip-\(tag)"), "\(failed.body)")
            let batch = try await client.post("/v1/decide/batch", #"{"predicate": "kyc", "inputs": [\#(input), \#(badIP)]}"#)
            #expect(batch.status == .ok && batch.body.contains("/user/ip: not an IPv4 address"), "\(batch.body)")
            let shown = try await client.get("/v1/predicates/kyc")
            return [decided.body, failed.body, batch.body, shown.body]
        }
        for secret in secrets {
            #expect(!bodies.contains { $0.contains(secret) }, "\(secret) in a response")
            #expect(!logs.all.contains { $0.contains(secret) }, "\(secret) in a log line")
        }
        // The catalogue shows every masked pointer, listed or marked, and the stores keep them.
        let shown = try JSONValue.parse(bodies[3])["versions"]?.arrayValue?.first
        #expect(shown?["mask"] == .array(["/extra/token", "/pin", "/user/cards/*/number", "/user/ip", "/user/ssn"].map { .string($0) }))
        #expect(shown?["log_sample"]?.doubleValue == 1)
        let stored = try #require(try await store.predicate("kyc", version: nil))
        #expect(stored.mask.pointers == ["/extra/token", "/pin"] && stored.logSample == .all)

        // Five decisions logged, each with its masked values replaced and the rest as sent.
        let records = try await store.decisions(matching: DecisionLogFilter(predicate: "kyc"), limit: 10, after: nil).records
        #expect(records.count == 4)  // one decided, one failed, a batch of two
        for record in records {
            #expect(!secrets.contains { record.input.contains($0) }, "\(record.input)")
            #expect(record.input.contains(#""ssn":"[masked]""#) && record.input.contains(#""pin":"[masked]""#), "\(record.input)")
        }
        #expect(records.filter { $0.input.contains(visible) && $0.input.contains(#"{"number":"[masked]"}"#) }.count == 2)

        // And the bytes of the database: the SQLite file and its WAL, or the whole
        // PostgreSQL data directory (tables, WAL, server log) after a checkpoint.
        let files: [String]
        switch backend {
        case .sqlite:
            await store.close()
            let path = String(url.dropFirst("sqlite:".count))
            files = [path, path + "-wal", path + "-shm"].filter { FileManager.default.fileExists(atPath: $0) }
        case .postgres:
            let server = try PostgresServer.shared()
            let database = String(try #require(url.split(separator: "/").last?.split(separator: "?").first))
            try server.psql(database, "CHECKPOINT")
            let oid = try server.psql(database, "SELECT oid FROM pg_database WHERE datname = current_database()")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            await store.close()
            // This database's tables and indexes, every WAL segment, and the server's log.
            let data = server.dataDirectory + "/data"
            files = Self.filesUnder(data + "/base/" + oid) + Self.filesUnder(data + "/pg_wal") + [server.dataDirectory + "/server.log"]
        }
        // One file at a time: the WAL segments are 16 MB each.
        var markerFound = false
        for file in files {
            guard let bytes = FileManager.default.contents(atPath: file) else { continue }
            if bytes.range(of: Data(visible.utf8)) != nil { markerFound = true }
            for secret in secrets {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) in \(file)")
            }
        }
        #expect(markerFound, "the visible marker was not found in \(files)")
    }

    /// At 0 nothing is logged and every decision is counted sampled out (not dropped).
    @Test func sampleZeroLogsNothingAndCountsIt() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.publish("big", "amount > 100.0", declarations: ["amount": "double"])
        var configuration = ServerConfiguration(port: 0, authentication: .off)
        configuration.decisionLog = DecisionLogSettings(interval: .milliseconds(10), sample: try LogSampleRate(0))
        let metrics = try await fixture.application(configuration).test(.router) { client in
            for _ in 0..<5 { _ = try await client.post("/v1/decide", #"{"predicate": "big", "input": {"amount": 250}}"#) }
            let inputs = Array(repeating: #"{"amount": 1}"#, count: 15).joined(separator: ",")
            #expect(try await client.post("/v1/decide/batch", #"{"predicate": "big", "inputs": [\#(inputs)]}"#).status == .ok)
            return try await client.get("/metrics").body
        }
        #expect(metrics.contains("spectral_decision_log_sampled_out_total 20"), "\(metrics)")
        #expect(!metrics.contains(#"spectral_decision_log_dropped_total{reason="queue_full"} 1"#))
        #expect(try await fixture.store.decisions(matching: DecisionLogFilter(), limit: 10, after: nil).records.isEmpty)
        await fixture.store.close()
    }

    /// The server's rate times the predicate's: exactly the decisions whose ids' random bits
    /// fall below it are logged (at 1 every one), and about that share of them.
    @Test(arguments: TestBackend.allCases)
    func theRatesChooseWhichDecisionsAreLogged(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await Self.publish(#"{"name": "half", "source": "n > 1", "declarations": {"n": "int"}, "log_sample": 0.5}"#, in: fixture.store)
        try await Self.publish(#"{"name": "all", "source": "n > 1", "declarations": {"n": "int"}}"#, in: fixture.store)
        var configuration = ServerConfiguration(port: 0, authentication: .off)
        configuration.decisionLog = DecisionLogSettings(capacity: 2000, batchSize: 500, interval: .milliseconds(10),
                                                        sample: try LogSampleRate(0.5))
        let inputs = (0..<400).map { #"{"n": \#($0)}"# }.joined(separator: ",")
        let (half, all, metrics) = try await fixture.application(configuration).test(.router) { client in
            let half = try await client.post("/v1/decide/batch", #"{"predicate": "half", "inputs": [\#(inputs)]}"#)
            let all = try await client.post("/v1/decide/batch", #"{"predicate": "all", "inputs": [\#(inputs)]}"#)
            return (DecisionIDText.all(in: half.body), DecisionIDText.all(in: all.body), try await client.get("/metrics").body)
        }
        #expect(half.count == 400 && all.count == 400)
        let quarter = try LogSampleRate(0.25), server = try LogSampleRate(0.5)
        func logged(_ name: String) async throws -> Set<String> {
            var ids: Set<String> = []
            var cursor: DecisionID?
            repeat {
                let page = try await fixture.store.decisions(matching: DecisionLogFilter(predicate: name), limit: 200, after: cursor)
                ids.formUnion(page.records.map(\.id.text))
                cursor = page.records.count == 200 ? page.records.last?.id : nil
            } while cursor != nil
            return ids
        }
        let expectedHalf = Set(half.filter { DecisionID(text: $0).map(quarter.admits) ?? false })
        let expectedAll = Set(all.filter { DecisionID(text: $0).map(server.admits) ?? false })
        #expect(try await logged("half") == expectedHalf)
        #expect(try await logged("all") == expectedAll)
        // 400 fair draws at 1/4 and 1/2: far outside these only by a broken sampler.
        #expect((50...150).contains(expectedHalf.count) && (150...250).contains(expectedAll.count), "\(expectedHalf.count), \(expectedAll.count)")
        // The rest are counted as sampled out.
        #expect(metrics.contains("spectral_decision_log_sampled_out_total \(800 - expectedHalf.count - expectedAll.count)\n"), "\(metrics)")
        // Each version's rate round-trips through the store; one not given reads as 1.
        #expect(try await fixture.store.predicate("half", version: nil)?.logSample == LogSampleRate(0.5))
        #expect(try await fixture.store.predicate("all", version: nil)?.logSample == .all)
        await fixture.store.close()
    }

    /// Every mask the intake cannot honour is refused naming the pointer by its index: 422
    /// for what a pointer says, 400 for a request of the wrong shape; a schema's `x-masked`
    /// must be a boolean (422, the schema's error).
    @Test func theIntakeRefusesBadMasksAndRates() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.application().test(.router) { client in
            let base = #""name": "p", "source": "n > 1", "declarations": {"n": "int"}"#
            // What the pointers say is the mask's meaning (422, and schema-valid strings
            // such as "/a~3" must not be a 400); the request's shape is the request's (400).
            for (member, status, code, message) in [
                (#""mask": ["/n", "n"]"#, HTTPResponse.Status.unprocessableContent, "invalid_mask", "mask[1]: 'n' is not a JSON pointer"),
                (#""mask": ["/a~3"]"#, .unprocessableContent, "invalid_mask", "mask[0]: '/a~3' has '~3'"),
                (#""mask": ["/\#(String(repeating: "é", count: 300))"]"#, .unprocessableContent, "invalid_mask", "mask[0]: a pointer has at most 512 bytes"),
                (#""mask": [7]"#, .badRequest, "invalid_predicate_request", "mask[0]: a pointer must be a string"),
                (#""log_sample": 2"#, .badRequest, "invalid_predicate_request", "\"log_sample\" must be a number from 0 to 1"),
            ] {
                for route in ["/v1/predicates", "/v1/validate"] {
                    let response = try await client.post(route, "{\(base), \(member)}")
                    #expect(response.status == status && errorCode(response.body) == code, "\(route): \(response.body)")
                    #expect(response.body.contains(message.replacingOccurrences(of: "\"", with: "\\\"")), "\(response.body)")
                }
            }
            let unmarkable = try await client.post("/v1/predicates", #"{"name": "p", "source": "size(m) > 0", "declarations": {"m": {"type": "object", "additionalProperties": {"type": "string", "x-masked": true}}}}"#)
            #expect(unmarkable.status == .unprocessableContent && errorCode(unmarkable.body) == "invalid_mask", "\(unmarkable.body)")
            #expect(unmarkable.body.contains("not supported under additionalProperties"), "\(unmarkable.body)")
            let marked = try await client.post("/v1/predicates", #"{"name": "p", "source": "s != ''", "declarations": {"s": {"type": "string", "x-masked": "yes"}}}"#)
            #expect(marked.status == .unprocessableContent && marked.body.contains("'x-masked' must be true or false"), "\(marked.body)")
            let good = try await client.post("/v1/predicates", "{\(base), \"mask\": [\"/n\"], \"log_sample\": 0.5}")
            #expect(good.status == .accepted, "\(good.body)")
        }
        await fixture.store.close()
    }

    // MARK: - Support

    static var quietLogger: Logger {
        var logger = Logger(label: "policy-test")
        logger.logLevel = .error
        return logger
    }

    /// Submits an authoring request's JSON and handles it now, as the worker would.
    static func publish(_ json: String, in store: any Store) async throws {
        let definition = try PredicateDefinition(jsonText: json)
        let id = try await store.submit(.predicateAuthored(definition), generation: 1)
        let handler = PredicateAuthoredHandler()
        _ = try await store.claimNext(generation: 1) { event in (handler.name, try handler.handle(event)) }
        let status = try await store.status(ofEvent: id)
        guard case .published = status else { throw PublishFailure(status: "\(status)") }
    }

    struct PublishFailure: Error { var status: String }

    static func filesUnder(_ directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        return walker.compactMap { ($0 as? String).map { directory + "/" + $0 } }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }
}

/// Every line logged at any level, with its metadata, for searching.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func logger() -> Logger {
        var logger = Logger(label: "policy-test") { _ in Handler(sink: self) }
        logger.logLevel = .trace
        return logger
    }

    private struct Handler: LogHandler {
        let sink: LogLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            sink.lines.withLock { $0.append("\(event.level) \(event.message) \(merged)") }
        }
    }
}
