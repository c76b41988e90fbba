@testable import SpectralHTTP
import Synchronization
import Testing

/// Validations at once are bounded: one runs, one waits, the next is told to come back.
@Suite struct ValidationGateTests {
    @Test func runsWaitsThenRefuses() async throws {
        let gate = ValidationGate(slots: 1, queue: 1)
        let (release, releaser) = AsyncStream.makeStream(of: Void.self)
        let started = Counter()
        let (progress, reporter) = AsyncStream.makeStream(of: Int.self)
        async let first: Int = gate.run {
            started.increment()
            reporter.yield(1)
            for await _ in release { break }
            return 1
        }
        var events = progress.makeAsyncIterator()
        #expect(await events.next() == 1)
        async let second: Int = gate.run {
            started.increment()
            return 2
        }
        // Once the second is queued, a third is refused at once.
        while gate.waitingCount == 0 { await Task.yield() }
        var refused: APIError?
        do { _ = try await gate.run { 3 } } catch { refused = error }
        #expect(refused?.status == .serviceUnavailable && refused?.code == "busy")
        #expect(started.value == 1, "the second waits while the first runs")
        releaser.yield()
        #expect(try await first == 1)
        #expect(try await second == 2)
        #expect(started.value == 2)
    }
}

/// A count shared with the gate's bodies.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
