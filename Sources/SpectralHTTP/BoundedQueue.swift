import SpectralCatalog
import Synchronization

/// Work handed off the response path, at most `capacity` items: decisions on their way to
/// the log, decisions to re-run on a shadow version. The decide path only appends, which
/// takes a lock for a few instructions and never waits: when the queue is full the item is
/// dropped and counted, and the decision is answered as if nothing happened. A background
/// service takes everything queued at once, so at most `capacity` items wait here and
/// `capacity` more are being worked on.
final class BoundedQueue<Element: Sendable>: Sendable {
    let capacity: Int
    private let items: Mutex<[Element]>
    private let droppedCount = Atomic<Int>(0)

    init(capacity: Int) {
        precondition(capacity > 0, "a bounded queue holds at least one item")
        self.capacity = capacity
        items = Mutex([])
    }

    /// Queues `item`, or drops it when the queue is full; false when dropped.
    @discardableResult
    func append(_ item: Element) -> Bool {
        let queued = items.withLock { items in
            guard items.count < capacity else { return false }
            items.append(item)
            return true
        }
        if !queued { droppedCount.add(1, ordering: .relaxed) }
        return queued
    }

    /// Everything queued, oldest first, leaving the queue empty: one swap under the lock.
    /// The empty array put in its place is allocated here, by the consumer, with room for as
    /// many items as were taken last time, so the decide path's appends rarely grow it.
    func takeAll(reserving expected: Int) -> [Element] {
        var taken: [Element] = []
        taken.reserveCapacity(min(capacity, expected))
        items.withLock { swap(&taken, &$0) }
        return taken
    }

    /// Items dropped because the queue was full, since the start.
    var dropped: Int { droppedCount.load(ordering: .relaxed) }

    var count: Int { items.withLock { $0.count } }
}

/// Decisions on their way to the log (`DecisionLogWriter` drains it).
typealias DecisionLogQueue = BoundedQueue<DecisionRecord>
