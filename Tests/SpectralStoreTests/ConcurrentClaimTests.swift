import Foundation
import SpectralStore
import SpectralTestSupport
import Testing

@Suite("Concurrent claims handle every event exactly once")
struct ConcurrentClaimTests {
    static let generation: Int64 = 7
    static let eventCount = 200

    @Test("workers with their own stores share one backlog", arguments: [(TestBackend.postgres, 4), (TestBackend.sqlite, 2)])
    func everyEventIsHandledOnce(_ backend: TestBackend, workers: Int) async throws {
        let database = try await TestDatabase(backend)
        let setup = try await database.open()
        _ = try await setup.migrate()
        var submitted: Set<Int64> = []
        for index in 0..<Self.eventCount {
            submitted.insert(try await setup.submit(topic: "t", payload: #"{"i": \#(index)}"#, generation: Self.generation))
        }
        // An event of another generation nobody may touch.
        let bystander = try await setup.submit(topic: "t", payload: "{}", generation: Self.generation + 1)
        await setup.close()

        var stores: [any Store] = []
        for _ in 0..<workers { stores.append(try await database.open()) }
        let perWorker = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    var handled: [Int64] = []
                    while let event = try await store.claimNext(generation: Self.generation, handle: { event in
                        guard event.generation == Self.generation else { throw TestFailure("claimed generation \(event.generation)") }
                        return ("worker", .none)
                    }) {
                        handled.append(event.event.id)
                        if handled.count > Self.eventCount { throw TestFailure("worker \(index) claims without end") }
                    }
                    return handled
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let handled = perWorker.flatMap { $0 }
        #expect(handled.count == Self.eventCount)
        #expect(Set(handled) == submitted)
        // Each worker claims in id order.
        #expect(perWorker.allSatisfy { $0 == $0.sorted() })

        #expect(try await database.count("SELECT count(*) FROM event_handled") == Self.eventCount)
        #expect(try await database.count("SELECT count(DISTINCT event_id) FROM event_handled") == Self.eventCount)
        #expect(try await database.count("SELECT count(*) FROM outbox WHERE status = 'done'") == Self.eventCount)
        let checker = stores[0]
        #expect(try await checker.status(ofEvent: bystander) == .pending(attempts: 0, lastError: nil))
        #expect(try await checker.backlog(generation: Self.generation).summary == "pending 0, dead 0, age 0.0")
        for store in stores { await store.close() }
    }

    @Test("concurrent publications of one name get distinct consecutive versions", arguments: TestBackend.allCases)
    func concurrentPublicationsNumberInTurn(_ backend: TestBackend) async throws {
        let database = try await TestDatabase(backend)
        let setup = try await database.open()
        _ = try await setup.migrate()
        let effect = try publishEffect(try adultRequest())
        for _ in 0..<20 { _ = try await setup.submit(topic: "t", payload: "{}", generation: 1) }
        await setup.close()

        var stores: [any Store] = []
        for _ in 0..<3 { stores.append(try await database.open()) }
        let versions = try await withThrowingTaskGroup(of: [Int].self) { group in
            for store in stores {
                group.addTask {
                    var versions: [Int] = []
                    while let handled = try await store.claimNext(generation: 1, handle: { _ in ("publisher", effect) }) {
                        guard case .published(_, let version) = handled.result else { throw TestFailure("not published") }
                        versions.append(version)
                    }
                    return versions
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(versions.sorted() == Array(1...20))
        #expect(try await stores[0].predicates().first?.latestVersion == 20)
        for store in stores { await store.close() }
    }
}
