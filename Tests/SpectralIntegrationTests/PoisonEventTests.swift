import Foundation
import Spectral
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 14, finding 5, as an operator meets it: `spectral work` is SIGKILLed while it
/// validates a submission (as the OOM killer would kill it), and restarted. Before the fix
/// the claim rolled back with the process (attempts 0), so every restart took the same
/// event and died again, and the events behind it waited for ever. Now each claim counts
/// its attempt before the validation starts: after `--max-attempts` deaths the event is
/// dead-lettered, and `spectral status` and `spectral outbox stats` say so.
@Suite(.serialized) struct PoisonEventTests {
    /// Whose validation runs long: its test makes 10⁸ comprehension steps (fuel allowing).
    static func poison() -> PredicateDefinition {
        let xs = JSONValue.array((0..<10_000).map { .number(JSONNumber(Int64($0))) })
        return PredicateDefinition(name: "quadratic", source: "xs.all(a, xs.all(b, a + b >= 0))", declarations: ["xs": "list(int)"],
                                   tests: [PredicateTest(input: .object([("xs", xs)]), expect: .bool(true))], author: "tests")
    }

    @Test(arguments: TestBackend.allCases)
    func workerKilledMidValidationDeadLettersThePoison(_ backend: TestBackend) async throws {
        let url = try backend.freshDatabaseURL()
        let store = try await Workload.openStore(url)
        let logPath = SpectralBinary.temporaryFile("poison-worker.log")
        let poisonID = try await store.submit(.predicateAuthored(Self.poison()), generation: 1)
        let behindID = try await store.submit(.predicateAuthored(PredicateDefinition(name: "behind", source: "true", author: "tests")),
                                              generation: 1)
        // A one-second lease, so each restarted worker soon retries the event its predecessor died on.
        let arguments = ["--max-attempts", "2", "--handler-budget", "600", "--claim-lease", "1", "--fuel", "100000000000"]
        func spectral(_ command: [String]) throws -> (status: Int32, output: String) {
            try ChildProcess.capture(SpectralBinary.path, command + ["--database-url", url])
        }

        for death in 1...2 {
            let worker = try SpectralBinary.startWorker(databaseURL: url, pollMilliseconds: 50, extraArguments: arguments, logPath: logPath)
            defer { worker.killIfRunning() }
            // The claim is committed before the validation starts: its attempt is visible at once.
            try await waitUntil(timeout: .seconds(60)) {
                if case .pending(death, _) = try await store.status(ofEvent: poisonID) { return true }
                return false
            }
            worker.send(SIGKILL)
            #expect(worker.wait() == 128 + SIGKILL)
            let status = try spectral(["status", String(poisonID)])
            #expect(status.status == 3 && status.output.hasPrefix("pending (\(death) attempt"), "\(status.output)")
        }

        let worker = try SpectralBinary.startWorker(databaseURL: url, pollMilliseconds: 50, extraArguments: arguments, logPath: logPath)
        defer { worker.killIfRunning() }
        try await waitUntil(timeout: .seconds(60)) {
            if case .deadLettered = try await store.status(ofEvent: poisonID) { return true }
            return false
        }
        #expect(try await store.status(ofEvent: poisonID) == .deadLettered(attempts: 2, lastError: ClaimOutcome.unfinishedAttemptError(attempt: 2)))
        try await waitUntil(timeout: .seconds(60)) { try await store.status(ofEvent: behindID) == .published(name: "behind", version: 1) }

        let status = try spectral(["status", String(poisonID)])
        #expect(status.status == 1)
        #expect(status.output == "dead after 2 attempts; last error: \(ClaimOutcome.unfinishedAttemptError(attempt: 2)) (requeue with `spectral outbox requeue ID`)\n")
        let stats = try spectral(["outbox", "stats"])
        #expect(stats.output.hasPrefix("generation 1: 0 pending, 1 dead"), "\(stats.output)")

        worker.send(SIGTERM)
        #expect(worker.wait() == 0, "a SIGTERMed worker exits cleanly")
        await store.close()
        try? FileManager.default.removeItem(atPath: logPath)
    }
}
