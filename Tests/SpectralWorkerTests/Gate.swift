import Dispatch
import SpectralCatalog
import SpectralWorker
import Synchronization

/// A gate a handler's thread waits at until the test opens it: how a test holds a
/// validation in progress for as long as it likes, with no timing involved. Once open it
/// stays open. Counts the threads that reached it.
final class Gate: Sendable {
    private let opened = DispatchSemaphore(value: 0)
    private let openFlag = Atomic<Bool>(false)
    private let arrivals = Atomic<Int>(0)

    /// Threads that reached the gate so far (passed or still waiting).
    var entered: Int { arrivals.load(ordering: .sequentiallyConsistent) }
    var isOpen: Bool { openFlag.load(ordering: .sequentiallyConsistent) }

    /// Blocks the calling thread until the gate opens.
    func pass() {
        arrivals.add(1, ordering: .sequentiallyConsistent)
        opened.wait()
        opened.signal()  // let the next waiter through too
    }

    func open() {
        guard !openFlag.exchange(true, ordering: .sequentiallyConsistent) else { return }
        opened.signal()
    }
}

/// Handles `hangs` events by waiting at a gate: a handler that never returns while the
/// gate is shut, and that offers no over-budget effect.
struct Hangs: EventHandler {
    static let hangsTopic = "hangs"
    let topic = Hangs.hangsTopic
    let name = "hangs/v1"
    let gate: Gate

    func handle(_ event: OutboxEvent) throws -> HandlerEffect {
        gate.pass()
        return .none
    }
}
