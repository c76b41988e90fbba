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
    @Test func runServesAuthoringAndDecisionsThenStops() async throws {
        let url = try TestBackend.sqlite.freshDatabaseURL()
        let port = Int.random(in: 20_000...60_000)
        let logPath = SpectralBinary.temporaryFile("run.log")
        let supervisor = try ChildProcess.spawn(SpectralBinary.path, ["run", "--demo", "--port", String(port), "--database-url", url],
                                                outputPath: logPath)
        defer { supervisor.killIfRunning() }
        let base = "http://127.0.0.1:\(port)"
        try await waitUntil(timeout: .seconds(30)) { (try? await httpRequest("GET", "\(base)/health").0) == 200 }
        // `spectral health`, the container image's HEALTHCHECK, finds it on $SPECTRAL_PORT.
        let probe = try await offThePool {
            try ChildProcess.capture(SpectralBinary.path, ["health"], environment: ["SPECTRAL_PORT": String(port)])
        }
        #expect(probe.status == 0 && probe.output.contains(#""status":"ok""#))

        let (status, body) = try await httpRequest("POST", "\(base)/v1/predicates",
            #"{"name": "grown", "source": "user.age >= 18", "declarations": {"user": "map(string, dyn)"}}"#)
        #expect(status == 202)
        let id = body.split(separator: ":")[1].prefix { $0.isNumber }
        try await waitUntil(timeout: .seconds(30)) { try await httpRequest("GET", "\(base)/v1/authoring/\(id)").1.contains("published") }
        // The API process learns of the new version from its periodic refresh (SQLite: 250 ms).
        try await waitUntil(timeout: .seconds(10)) {
            try await httpRequest("POST", "\(base)/v1/decide", #"{"predicate": "grown", "input": {"user": {"age": 30}}}"#).0 == 200
        }
        let decision = try await httpRequest("POST", "\(base)/v1/decide", #"{"predicate": "grown", "input": {"user": {"age": 30}}}"#)
        let (answer, decisionID) = DecisionIDText.removed(from: decision.1)
        #expect(answer == #"{"predicate":"grown","version":1,"decision":true,"fuel_used":5}"#)
        #expect(decisionID.map(DecisionIDText.isUUIDv7) == true)
        // The demo's sample predicate was published too.
        let sample = try await httpRequest("POST", "\(base)/v1/decide", #"{"predicate": "adult", "input": {"user": {"age": 30, "email_verified": true}}}"#)
        #expect(sample.0 == 200 && sample.1.contains(#""decision":true"#))

        supervisor.send(SIGTERM)
        // Waiting for a process blocks its thread: not one of the few the suite's tasks share.
        #expect(try await offThePool { supervisor.wait() } == 0)
        let stopped = try await offThePool {
            try ChildProcess.capture(SpectralBinary.path, ["health", "--url", "\(base)/health", "--timeout", "2"])
        }
        #expect(stopped.status == 1 && stopped.output.contains("spectral health: \(base)/health:"))
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        #expect(log.contains("all children stopped") && log.contains("embedded demo mode"))
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// A child that cannot start as configured stops the supervisor: the port is taken, so
    /// `serve` exits 78, and `run` stops the worker too and exits 78 with the reason —
    /// instead of restarting the API forever beside a running worker.
    @Test func aTakenPortStopsEverything() async throws {
        let url = try TestBackend.sqlite.freshDatabaseURL()
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let result = try await offThePool {
            try ChildProcess.capture(SpectralBinary.path, ["run", "--port", String(port), "--database-url", url])
        }
        #expect(result.status == 78)
        #expect(result.output.contains("spectral serve: cannot listen on 127.0.0.1:\(port): address already in use"))
        #expect(result.output.contains("spectral run: serve cannot start as configured (exit 78); both processes stopped"))
        #expect(!result.output.contains("restarting"))
    }

    /// Settings come from the environment, read once; a flag overrides its variable; a bad
    /// value is a usage error that names the variable and shows the command's own usage.
    @Test func badSettingsAreNamedWithTheCommandsUsage() throws {
        let bad = try ChildProcess.capture(SpectralBinary.path, ["serve"], environment: ["SPECTRAL_PORT": "eighty"])
        #expect(bad.status == 64)
        #expect(bad.output.hasPrefix("Error: SPECTRAL_PORT must be an integer, got 'eighty'\nUsage: spectral serve"))
        let url = try TestBackend.sqlite.freshDatabaseURL()
        let overridden = try ChildProcess.capture(SpectralBinary.path, ["outbox", "stats", "--generation", "7"],
                                                  environment: ["SPECTRAL_GENERATION": "x", "SPECTRAL_DATABASE_URL": url])
        #expect(overridden.status == 0 && overridden.output.contains("generation 7: 0 pending, 0 dead"), "\(overridden.output)")
    }
}
