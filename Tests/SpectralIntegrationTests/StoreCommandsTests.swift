import Foundation
import SpectralTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The operator's commands on the embedded SQLite store, as a user types them:
/// submit → work → status → predicates, and the errors they report.
@Suite struct StoreCommandsTests {
    let url: String
    let directory: String

    init() throws {
        url = try TestBackend.sqlite.freshDatabaseURL()
        directory = (String(url.dropFirst("sqlite:".count)) as NSString).deletingLastPathComponent
    }

    func spectral(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try ChildProcess.capture(SpectralBinary.path, arguments + ["--database-url", url])
    }

    @Test func submitWorkStatusAndList() async throws {
        let testsPath = "\(directory)/tests.json"
        try #"[{"input": {"user": {"age": 20}}, "expect": true}, {"input": {"user": {"age": 9}}, "expect": false}]"#
            .write(toFile: testsPath, atomically: true, encoding: .utf8)
        let good = try spectral(["submit", "--name", "adult", "--source", "user.age >= 18", "--declare", "user=map(string, dyn)",
                                 "--tests", testsPath])
        #expect(good.status == 0)
        let goodID = good.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let failing = try spectral(["submit", "--name", "adult", "--source", "user.age > 20", "--declare", "user=map(string, dyn)",
                                    "--tests", testsPath])
        let failingID = failing.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let pending = try spectral(["status", goodID])
        #expect(pending.output == "pending\n" && pending.status == 3)

        let logPath = "\(directory)/worker.log"
        let worker = try SpectralBinary.startWorker(databaseURL: url, pollMilliseconds: 50, logPath: logPath)
        defer { worker.killIfRunning() }
        try await SpectralBinary.waitForStartups(1, logPath: logPath)
        try await waitUntil(timeout: .seconds(30)) { try spectral(["status", failingID]).output != "pending\n" }
        worker.send(SIGTERM)
        #expect(worker.wait() == 0)

        let published = try spectral(["status", goodID])
        #expect(published.output == "published adult@1\n" && published.status == 0)
        let rejectedStatus = try spectral(["status", failingID])
        #expect(rejectedStatus.status == 1)
        let rejected = rejectedStatus.output
        #expect(rejected.hasPrefix("rejected adult: 1 diagnostic"))
        #expect(rejected.contains("[test] test 1: expected true, got false"))
        let json = try spectral(["status", "--json", failingID]).output
        #expect(json.contains(#""status":"rejected""#) && json.contains(#""stage":"test""#))
        #expect(try spectral(["predicates", "list", "--json"]).output
            == #"[{"name":"adult","versions":[1],"active_version":1,"latest_version":1}]"# + "\n")
    }

    /// `submit --declare NAME=@FILE` sends the schema (stored canonical: members sorted),
    /// and the worker publishes a version that checks and binds by it.
    @Test func submitReadsASchemaFile() async throws {
        let schemaPath = "\(directory)/txn.schema.json"
        try #"{"type": "object", "required": ["amount"], "properties": {"amount": {"type": "number"}}}"#
            .write(toFile: schemaPath, atomically: true, encoding: .utf8)
        let submitted = try spectral(["submit", "--name", "big", "--source", "txn.amount > 100.0", "--declare", "txn=@" + schemaPath])
        #expect(submitted.status == 0, "\(submitted.output)")
        let id = submitted.output.trimmingCharacters(in: .whitespacesAndNewlines)
        // A score says so (`--returns double`); without it the same source is refused as not a decision.
        let score = try spectral(["submit", "--name", "score", "--source", "txn.amount * 2.0", "--returns", "double",
                                  "--declare", "txn=@" + schemaPath])
        let notADecision = try spectral(["submit", "--name", "score", "--source", "txn.amount * 2.0", "--declare", "txn=@" + schemaPath])
        let scoreID = score.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let refusedID = notADecision.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let logPath = "\(directory)/worker.log"
        let worker = try SpectralBinary.startWorker(databaseURL: url, pollMilliseconds: 50, logPath: logPath)
        defer { worker.killIfRunning() }
        try await SpectralBinary.waitForStartups(1, logPath: logPath)
        try await waitUntil(timeout: .seconds(30)) {
            try [id, scoreID, refusedID].allSatisfy { try spectral(["status", $0]).output != "pending\n" }
        }
        worker.send(SIGTERM)
        #expect(worker.wait() == 0)
        #expect(try spectral(["status", id]).output == "published big@1\n")
        #expect(try spectral(["status", scoreID]).output == "published score@1\n")
        let refused = try spectral(["status", refusedID])
        #expect(refused.status == 1 && refused.output.contains("double"), "\(refused.output)")
        let shown = try spectral(["predicates", "show", "big"]).output
        #expect(shown.contains(#"declarations: {"txn":{"properties":{"amount":{"type":"number"}},"required":["amount"],"type":"object"}}"#), "\(shown)")
        let missing = try spectral(["submit", "--name", "big", "--source", "true", "--declare", "txn=@\(directory)/none.json"])
        #expect(missing.status != 0 && missing.output.contains("cannot read a JSON Schema from"))
    }

    @Test func errorsAreOneClearLine() throws {
        let unknown = try spectral(["status", "999"])
        #expect(unknown.status == 1 && unknown.output.contains("no outbox event 999"))
        let activate = try spectral(["predicates", "activate", "nope", "1"])
        #expect(activate.status == 1 && activate.output.contains("no predicate named 'nope'"))
        let name = try spectral(["submit", "--name", "9bad", "--source", "true"])
        #expect(name.status != 0 && name.output.contains("invalid predicate name '9bad'"))
        let both = try spectral(["submit", "--name", "ok", "--source", "true", "--source-file", "x"])
        #expect(both.status != 0 && both.output.contains("exactly one of --source and --source-file"))
        let badURL = try ChildProcess.capture(SpectralBinary.path, ["predicates", "list", "--database-url", "mysql://x"])
        #expect(badURL.status != 0 && badURL.output.contains("invalid database URL"))
    }
}
