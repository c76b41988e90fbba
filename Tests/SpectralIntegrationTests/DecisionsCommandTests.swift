import Foundation
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `spectral decisions list|show` on a SQLite file, as an operator types them, and the
/// retention flags' refusals.
@Suite struct DecisionsCommandTests {
    func spectral(_ arguments: [String], url: String) throws -> (status: Int32, output: String) {
        try ChildProcess.capture(SpectralBinary.path, arguments + ["--database-url", url])
    }

    @Test func listPagesFiltersAndShows() async throws {
        let url = try TestBackend.sqlite.freshDatabaseURL()
        let store = try await Workload.openStore(url)
        let base: UInt64 = 1_765_000_000_000
        var records: [DecisionRecord] = []
        for index in 0..<5 {
            let outcome: DecisionRecord.Outcome = index == 1 ? .failed(code: "invalid_input") : .decided(json: index >= 2 ? "true" : "false")
            let id = DecisionID(milliseconds: base + UInt64(index) * 1000, randA: 1, randB: 1)
            records.append(DecisionRecord(id: id, predicate: "adult", version: 1, input: "{\"age\":\(index * 10)}", outcome: outcome,
                                          fuel: 3, latencyMicroseconds: 42, caller: index == 4 ? "k_1" : nil, generation: 2))
        }
        try await store.append(records)
        await store.close()
        let ids: [String] = records.map { $0.id.text }

        let page1 = try spectral(["decisions", "list", "--limit", "2"], url: url)
        #expect(page1.status == 0)
        let lines = page1.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(page1.output)")
        #expect(lines[0] == "\(ids[4])  2025-12-06T05:46:44Z  adult@1  true  fuel 3  42 µs  k_1")
        #expect(lines[1].hasPrefix(ids[3]) && lines[2] == "more: --cursor \(ids[3])")
        let page2 = try spectral(["decisions", "list", "--limit", "2", "--cursor", ids[3]], url: url)
        let lines2 = page2.output.split(separator: "\n").map(String.init)
        #expect(lines2.count == 3 && lines2[0].hasPrefix(ids[2]) && lines2[1].hasPrefix(ids[1]) && lines2[2] == "more: --cursor \(ids[1])")
        let failed = try spectral(["decisions", "list", "--outcome", "failed"], url: url)
        #expect(failed.output == "\(ids[1])  2025-12-06T05:46:41Z  adult@1  error invalid_input  fuel 3  42 µs  -\n")
        let json = try spectral(["decisions", "list", "--outcome", "false", "--json"], url: url)
        #expect(json.output.hasPrefix(#"{"decisions":[{"decision_id":"\#(ids[0])","#) && json.output.hasSuffix(#"],"next_cursor":null}"# + "\n"))
        let windowed = try spectral(["decisions", "list", "--predicate", "adult", "--version", "1",
                                     "--since", "2025-12-06T05:46:42Z", "--until", "2025-12-06T05:46:44Z"], url: url)
        #expect(windowed.output.split(separator: "\n").map { String($0.prefix(36)) } == [ids[3], ids[2]])
        #expect(try spectral(["decisions", "list", "--predicate", "other"], url: url).output == "no decisions\n")

        let shown = try spectral(["decisions", "show", ids[1]], url: url)
        #expect(shown.status == 0)
        #expect(shown.output == #"{"decision_id":"\#(ids[1])","created_at":"2025-12-06T05:46:41Z","predicate":"adult","version":1,"input":{"age":10},"error_code":"invalid_input","fuel_used":3,"latency_us":42,"caller":null,"generation":2}"# + "\n")
        let absent = try spectral(["decisions", "show", DecisionID(milliseconds: 1, randA: 0, randB: 0).text], url: url)
        #expect(absent.status == 1 && absent.output.contains("is logged (never made, not sampled, dropped or pruned)"))

        // Every bad value is a usage error (64) saying what is accepted.
        let refusals: [([String], String)] = [
            (["decisions", "list", "--outcome", "Nope"], "--outcome must be decided, failed, true, false or an error code"),
            (["decisions", "list", "--version", "2"], "--version needs --predicate"),
            (["decisions", "list", "--limit", "0"], "--limit must be from 1 to 500"),
            (["decisions", "list", "--since", "yesterday"], "--since must be an RFC 3339 time"),
            (["decisions", "list", "--cursor", "x"], "--cursor must be a decision id"),
            (["decisions", "show", "x"], "'x' is not a decision id"),
            (["work", "--decision-log-max-age", "7x"], "--decision-log-max-age (or SPECTRAL_DECISION_LOG_MAX_AGE) must be a positive number and a unit"),
            (["work", "--decision-log-max-rows", "0"], "--decision-log-max-rows (or SPECTRAL_DECISION_LOG_MAX_ROWS) must be a whole number of at least 1, or off"),
            (["run", "--decision-log-max-age", "0d"], "--decision-log-max-age (or SPECTRAL_DECISION_LOG_MAX_AGE) must be a positive number"),
        ]
        for (arguments, message) in refusals {
            let refused = try spectral(arguments, url: url)
            #expect(refused.status == 64, "\(arguments): \(refused.output)")
            #expect(refused.output.contains(message), "\(arguments): \(refused.output)")
        }
    }

    /// `spectral work` prunes on start: a 1-row limit leaves the newest decision only.
    @Test func workPrunesTheLog() async throws {
        let url = try TestBackend.sqlite.freshDatabaseURL()
        let store = try await Workload.openStore(url)
        let ids = DecisionIDGenerator()
        let records = (0..<20).map { _ in
            DecisionRecord(id: ids.next(), predicate: "p", version: 1, input: "{}", outcome: .decided(json: "true"), fuel: 1,
                           latencyMicroseconds: 1, caller: nil, generation: 1)
        }
        try await store.append(records)
        let logPath = SpectralBinary.temporaryFile("work-prune.log")
        let worker = try SpectralBinary.startWorker(databaseURL: url, extraArguments: ["--decision-log-max-rows", "1"], logPath: logPath)
        defer { worker.killIfRunning() }
        try await waitUntil(timeout: .seconds(30)) {
            try await store.decisions(matching: DecisionLogFilter(), limit: 5, after: nil).records.count == 1
        }
        #expect(try await store.decisions(matching: DecisionLogFilter(), limit: 5, after: nil).records.map(\.id) == [records[19].id])
        try await waitUntil(timeout: .seconds(10)) {
            ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").contains(#""by_count":"19""#)
        }
        worker.send(SIGTERM)
        #expect(worker.wait() == 0)
        await store.close()
    }
}
