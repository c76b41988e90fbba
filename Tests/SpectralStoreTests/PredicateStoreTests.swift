import Foundation
import Spectral
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import Testing

@Suite("Predicate versions, activation and rollback")
struct PredicateStoreTests {
    @Test("a submitted event is pending", arguments: TestBackend.allCases)
    func submittedEventIsPending(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let id = try await store.submit(topic: OutboxMessage.Topic.predicateAuthored, payload: try adultRequest().jsonValue.serialized(), generation: 1)
            #expect(try await store.status(ofEvent: id) == .pending(attempts: 0, lastError: nil))
            #expect(try await store.predicates().isEmpty)
        }
    }

    @Test("versions are numbered per name: 1, then 2", arguments: TestBackend.allCases)
    func versionsAreNumberedPerName(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let first = try await submitAndHandle(store, try publishEffect(try adultRequest()))
            #expect(first.handled.result == .published(name: "adult", version: 1))
            #expect(try await store.status(ofEvent: first.id) == .published(name: "adult", version: 1))

            let second = try await submitAndHandle(store, try publishEffect(try adultRequest(source: "user.age >= 21")))
            #expect(second.handled.result == .published(name: "adult", version: 2))
            #expect(try await store.status(ofEvent: second.id) == .published(name: "adult", version: 2))

            #expect(try await publish(store, try adultRequest(name: "other")) == 1)
            #expect(try await store.versions(of: "adult").map(\.version) == [1, 2])
            #expect(try await store.versions(of: "adult").map(\.eventID) == [first.id, second.id])
        }
    }

    @Test("publishing with activation moves the active pointer", arguments: TestBackend.allCases)
    func publishingMovesTheActivePointer(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await publish(store, try adultRequest())
            #expect(try await store.predicate("adult", version: nil)?.version == 1)
            try await publish(store, try adultRequest(source: "user.age >= 21"))
            let active = try #require(try await store.predicate("adult", version: nil))
            #expect(active.version == 2 && active.isActive && active.source == "user.age >= 21")
            #expect(try await store.predicate("adult", version: 1)?.isActive == false)
            #expect(try await store.versions(of: "adult").map(\.isActive) == [false, true])

            try await store.activate("adult", version: 1)
            #expect(try await store.predicate("adult", version: nil)?.version == 1)
            #expect(try await store.versions(of: "adult").map(\.isActive) == [true, false])
            let summary = try #require(try await store.predicates().first)
            #expect(summary.activeVersion == 1 && summary.latestVersion == 2 && summary.versions == [1, 2])
        }
    }

    @Test("activating an unknown name or version throws", arguments: TestBackend.allCases)
    func activatingUnknownThrows(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            await #expect(throws: StoreError.unknownPredicate("nope")) { try await store.activate("nope", version: 1) }
            try await publish(store, try adultRequest())
            await #expect(throws: StoreError.unknownVersion(name: "adult", version: 9)) { try await store.activate("adult", version: 9) }
            await #expect(throws: StoreError.unknownVersion(name: "adult", version: 0)) { try await store.activate("adult", version: 0) }
            #expect(try await store.predicate("adult", version: nil)?.version == 1)
        }
    }

    @Test("rollback walks back through earlier active versions", arguments: TestBackend.allCases)
    func rollbackWalksBackTheStack(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            for minimum in [18, 19, 20] { try await publish(store, try adultRequest(source: "user.age >= \(minimum)")) }
            #expect(try await store.predicate("adult", version: nil)?.version == 3)
            #expect(try await store.rollback("adult") == 2)
            #expect(try await store.predicate("adult", version: nil)?.version == 2)
            #expect(try await store.rollback("adult") == 1)
            #expect(try await store.predicate("adult", version: nil)?.version == 1)
            await #expect(throws: StoreError.nothingToRollBack("adult")) { try await store.rollback("adult") }
            #expect(try await store.predicate("adult", version: nil)?.version == 1)
            #expect(try await store.versions(of: "adult").count == 3)
        }
    }

    @Test("rollback after an explicit activation returns to the version active before it", arguments: TestBackend.allCases)
    func rollbackAfterActivation(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            for minimum in [18, 19, 20] { try await publish(store, try adultRequest(source: "user.age >= \(minimum)")) }
            try await store.activate("adult", version: 1)
            #expect(try await store.rollback("adult") == 3)
            #expect(try await store.rollback("adult") == 2)
            // A new publication goes on top of the stack.
            try await publish(store, try adultRequest(source: "user.age >= 30"))
            #expect(try await store.rollback("adult") == 2)
        }
    }

    @Test("rollback of an unknown name, or of a single version, throws", arguments: TestBackend.allCases)
    func rollbackWithoutHistoryThrows(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            await #expect(throws: StoreError.unknownPredicate("nope")) { _ = try await store.rollback("nope") }
            try await publish(store, try adultRequest())
            await #expect(throws: StoreError.nothingToRollBack("adult")) { _ = try await store.rollback("adult") }
        }
    }

    @Test("publishing without activation leaves the active version unchanged", arguments: TestBackend.allCases)
    func publishingWithoutActivation(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await publish(store, try adultRequest(name: "quiet", activate: false))
            #expect(try await store.predicate("quiet", version: nil) == nil)
            #expect(try await store.predicates().first?.activeVersion == nil)

            try await publish(store, try adultRequest())
            #expect(try await publish(store, try adultRequest(source: "user.age >= 21", activate: false)) == 2)
            #expect(try await store.predicate("adult", version: nil)?.version == 1)
            #expect(try await store.versions(of: "adult").map(\.isActive) == [true, false])
            await #expect(throws: StoreError.nothingToRollBack("adult")) { _ = try await store.rollback("adult") }
            try await store.activate("adult", version: 2)
            #expect(try await store.rollback("adult") == 1)
        }
    }

    @Test("rollback of a predicate that was never active has nothing to roll back", arguments: TestBackend.allCases)
    func rollbackOfNeverActivePredicate(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await publish(store, try adultRequest(name: "quiet", activate: false))
            // The predicate exists (it can be activated), so "unknown predicate" would be wrong.
            await #expect(throws: StoreError.nothingToRollBack("quiet")) { _ = try await store.rollback("quiet") }
            try await store.activate("quiet", version: 1)
            await #expect(throws: StoreError.nothingToRollBack("quiet")) { _ = try await store.rollback("quiet") }
        }
    }

    @Test("a rejection stores every diagnostic and status returns them", arguments: TestBackend.allCases)
    func rejectionKeepsEveryDiagnostic(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let diagnostics = [
                AuthoringDiagnostic(stage: "parse", message: "unexpected end of input", line: 2, column: 7,
                                    rendered: "2:7: error: unexpected end of input\n  a && \n      ^"),
                AuthoringDiagnostic(stage: "check", message: "undeclared reference to 'nobody' — “quoted” ☃", line: 1, column: 1),
                AuthoringDiagnostic(stage: "test", message: "test 1: expected true, got false"),
            ]
            let rejection = HandlerEffect.Rejection(name: "broken", source: "nobody &&\n  a && ", diagnostics: diagnostics)
            let (id, handled) = try await submitAndHandle(store, .reject(rejection))
            #expect(handled.result == .rejected(name: "broken"))
            #expect(try await store.status(ofEvent: id) == .rejected(name: "broken", diagnostics: diagnostics))
            // A rejection is not a version.
            #expect(try await store.predicates().isEmpty)
            #expect(try await store.versions(of: "broken").isEmpty)
        }
    }

    @Test("an event handled without effect has status handled", arguments: TestBackend.allCases)
    func handledWithoutEffect(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let (id, handled) = try await submitAndHandle(store, .none)
            #expect(handled.result == .handled)
            #expect(try await store.status(ofEvent: id) == .handled)
        }
    }

    @Test("predicates() and versions(of:) list what was published", arguments: TestBackend.allCases)
    func listingsShowWhatWasPublished(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            #expect(try await store.predicates().isEmpty)
            try await publish(store, try adultRequest(name: "zeta"))
            try await publish(store, try adultRequest(name: "alpha"))
            try await publish(store, try adultRequest(name: "alpha", source: "user.age > 40", activate: false))

            let summaries = try await store.predicates()
            #expect(summaries.map(\.name) == ["alpha", "zeta"])
            #expect(summaries.map(\.versions) == [[1, 2], [1]])
            #expect(summaries.map(\.latestVersion) == [2, 1])
            #expect(summaries.map(\.activeVersion) == [1, 1])
            #expect(summaries.allSatisfy { abs($0.updatedAt.timeIntervalSinceNow) < 300 })

            let versions = try await store.versions(of: "alpha")
            #expect(versions.map(\.reference) == ["alpha@1", "alpha@2"])
            let latest = try #require(versions.last)
            let request = try adultRequest(name: "alpha", source: "user.age > 40", activate: false)
            #expect(latest.source == request.source)
            #expect(latest.declarations == request.declarations)
            #expect(latest.tests == request.tests)
            #expect(latest.author == "tests" && latest.description == "adults only")
            #expect(latest.generation == 1)
            #expect(latest.costBound != nil)
            #expect(abs(latest.createdAt.timeIntervalSinceNow) < 300)
            #expect(try await store.predicate("alpha", version: 2) == latest)

            #expect(try await store.versions(of: "missing").isEmpty)
            #expect(try await store.predicate("missing", version: nil) == nil)
            #expect(try await store.predicate("alpha", version: 7) == nil)
        }
    }

    @Test("text fields round-trip, Unicode included", arguments: TestBackend.allCases)
    func textRoundTrips(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let request = PredicateDefinition(
                name: "greeting", source: "name == 'café ☕ 😀' || name.startsWith(\"it's\")", declarations: ["name": "string"],
                tests: [PredicateTest(input: try JSONValue.parse(#"{"name": "café ☕ 😀"}"#), expect: .bool(true))],
                description: "quotes ' \" and a NUL-free\nnewline", author: "Zoë")
            try await publish(store, request)
            let stored = try #require(try await store.predicate("greeting", version: 1))
            #expect(stored.source == request.source)
            #expect(stored.description == request.description)
            #expect(stored.author == "Zoë")
            #expect(stored.tests == request.tests)
        }
    }

    @Test("bytecode round-trips byte for byte and loads", arguments: TestBackend.allCases)
    func bytecodeRoundTrips(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let request = try adultRequest()
            guard case .publish(let new) = try publishEffect(request) else { Issue.record("not a publication"); return }
            try await publish(store, request)
            let stored = try #require(try await store.predicate("adult", version: 1))
            #expect(stored.bytecode == new.bytecode)
            #expect(stored.costBound == new.costBound)

            let program = try Program(bytes: stored.bytecode)
            let adult = program.evaluate(json: Array(#"{"user": {"age": 30}}"#.utf8))
            let child = program.evaluate(json: Array(#"{"user": {"age": 3}}"#.utf8))
            #expect(try adult.result.get() == .bool(true))
            #expect(try child.result.get() == .bool(false))
        }
    }

    @Test("arbitrary bytes and a missing cost bound are stored as given", arguments: TestBackend.allCases)
    func opaqueBytesRoundTrip(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            // The store does not interpret bytecode: every byte value, NUL included, survives.
            let bytes = (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) } + [0, 0, 0xFF]
            let effect = HandlerEffect.publish(.init(request: try adultRequest(name: "opaque"), bytecode: bytes, costBound: nil))
            try await submitAndHandle(store, effect)
            let stored = try #require(try await store.predicate("opaque", version: 1))
            #expect(stored.bytecode == bytes)
            #expect(stored.costBound == nil)
        }
    }
}
