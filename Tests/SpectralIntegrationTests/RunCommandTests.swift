import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SpectralTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `spectral run`: the README's main command. The supervisor starts `serve` and `work`;
/// a predicate authored over HTTP becomes decidable; SIGTERM stops everything cleanly.
@Suite struct RunCommandTests {
    func request(_ method: String, _ url: String, _ body: String? = nil) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func runServesAuthoringAndDecisionsThenStops() async throws {
        let url = try TestBackend.sqlite.freshDatabaseURL()
        let port = Int.random(in: 20_000...60_000)
        let logPath = SpectralBinary.temporaryFile("run.log")
        let supervisor = try ChildProcess.spawn(SpectralBinary.path, ["run", "--demo", "--port", String(port), "--database-url", url],
                                                outputPath: logPath)
        defer { supervisor.killIfRunning() }
        let base = "http://127.0.0.1:\(port)"
        try await waitUntil(timeout: .seconds(30)) { (try? await request("GET", "\(base)/health").0) == 200 }

        let (status, body) = try await request("POST", "\(base)/v1/predicates",
            #"{"name": "grown", "source": "user.age >= 18", "declarations": {"user": "map(string, dyn)"}}"#)
        #expect(status == 202)
        let id = body.split(separator: ":")[1].prefix { $0.isNumber }
        try await waitUntil(timeout: .seconds(30)) { try await request("GET", "\(base)/v1/authoring/\(id)").1.contains("published") }
        // The API process learns of the new version from its periodic refresh (SQLite: 250 ms).
        try await waitUntil(timeout: .seconds(10)) {
            try await request("POST", "\(base)/v1/decide", #"{"predicate": "grown", "input": {"user": {"age": 30}}}"#).0 == 200
        }
        let decision = try await request("POST", "\(base)/v1/decide", #"{"predicate": "grown", "input": {"user": {"age": 30}}}"#)
        #expect(decision.1 == #"{"predicate":"grown","version":1,"decision":true,"fuel_used":5}"#)
        // The demo's sample predicate was published too.
        let sample = try await request("POST", "\(base)/v1/decide", #"{"predicate": "adult", "input": {"user": {"age": 30, "email_verified": true}}}"#)
        #expect(sample.0 == 200 && sample.1.contains(#""decision":true"#))

        supervisor.send(SIGTERM)
        #expect(supervisor.wait() == 0)
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        #expect(log.contains("all children stopped") && log.contains("embedded demo mode"))
        try? FileManager.default.removeItem(atPath: logPath)
    }
}
