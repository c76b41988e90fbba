import SpectralCatalog
import Synchronization

/// Decisions on their way to the log, at most `capacity` of them. The decide path only
/// appends, which takes a lock for a few instructions and never waits for the store: when
/// the queue is full the record is dropped and counted, and the decision is answered as if
/// nothing happened. `DecisionLogWriter` takes everything queued at once and writes it in
/// batches, so at most `capacity` records wait here and `capacity` more are being written.
final class DecisionLogQueue: Sendable {
    let capacity: Int
    private let records: Mutex<[DecisionRecord]>
    private let droppedCount = Atomic<Int>(0)

    init(capacity: Int) {
        precondition(capacity > 0, "a decision log queue holds at least one record")
        self.capacity = capacity
        records = Mutex([])
    }

    /// Queues `record`, or drops it when the queue is full; false when dropped.
    @discardableResult
    func append(_ record: DecisionRecord) -> Bool {
        let queued = records.withLock { records in
            guard records.count < capacity else { return false }
            records.append(record)
            return true
        }
        if !queued { droppedCount.add(1, ordering: .relaxed) }
        return queued
    }

    /// Everything queued, oldest first, leaving the queue empty: one swap under the lock.
    /// The empty array put in its place is allocated here, by the writer, with room for as
    /// many records as were taken last time, so the decide path's appends rarely grow it.
    func takeAll(reserving expected: Int) -> [DecisionRecord] {
        var taken: [DecisionRecord] = []
        taken.reserveCapacity(min(capacity, expected))
        records.withLock { swap(&taken, &$0) }
        return taken
    }

    /// Records dropped because the queue was full, since the start.
    var dropped: Int { droppedCount.load(ordering: .relaxed) }

    var count: Int { records.withLock { $0.count } }
}
