import Logging
import Spectral
import SpectralStore
import SpectralTestSupport
import Testing

@Suite struct StoreSmokeTests {
    @Test(arguments: TestBackend.allCases)
    func publishThroughTheOutbox(_ backend: TestBackend) async throws {
        let url = try backend.freshDatabaseURL()
        let store = try await StoreLocation(url: url).open(logger: Logger(label: "test"))
        defer { Task { await store.close() } }
        let report = try await store.migrate()
        #expect(report.applied == [1])
        #expect(try await store.migrate().applied == [])
        try await store.requireCurrentSchema()

        let request = AuthoringRequest(name: "adult", source: "user.age >= 18", declarations: ["user": "map(string, dyn)"],
                                       tests: [PredicateTest(input: try JSONValue.parse(#"{"user": {"age": 20}}"#), expect: .bool(true))])
        let id = try await store.submit(topic: "predicate.authored", payload: request.jsonValue.serialized(), generation: 1)
        #expect(try await store.status(ofEvent: id) == .pending(attempts: 0, lastError: nil))
        let handled = try await store.claimNext(generation: 1) { event in
            let validated = PredicateValidator().validate(source: request.source, declarations: request.declarations, tests: request.tests)
            guard case .accepted(let accepted) = validated else { Issue.record("rejected"); return ("test", .none) }
            return ("test", .publish(.init(request: request, bytecode: accepted.bytecode, costBound: accepted.costBound)))
        }
        #expect(handled?.result == .published(name: "adult", version: 1))
        #expect(try await store.status(ofEvent: id) == .published(name: "adult", version: 1))
        let active = try #require(try await store.predicate("adult", version: nil))
        #expect(active.version == 1 && active.isActive && active.source == request.source)
        #expect(try await store.claimNext(generation: 1) { _ in ("test", .none) } == nil)
    }
}
