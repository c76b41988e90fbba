import Synchronization

/// A bound on the event streams open at once. A stream holds a connection, a task and a
/// poll of the store for up to its lifetime, most of it idle: without a bound, clients
/// opening streams and never reading them would grow memory and store load without limit.
///
/// A slot is held by a `Slot` object and given back when it is released — by the stream's
/// end, or by the response being dropped unwritten (the body closure that holds it is
/// freed), so no path can leak one.
final class EventStreamSlots: Sendable {
    let capacity: Int
    private let open = Mutex(0)

    init(capacity: Int) { self.capacity = max(0, capacity) }

    /// Streams open now.
    var count: Int { open.withLock { $0 } }

    /// A slot, or nil when `capacity` streams are open.
    func acquire() -> Slot? {
        let taken = open.withLock { open -> Bool in
            guard open < capacity else { return false }
            open += 1
            return true
        }
        return taken ? Slot(owner: self) : nil
    }

    fileprivate func release() { open.withLock { $0 -= 1 } }

    /// One open stream's place; released when the last reference goes.
    final class Slot: Sendable {
        private let owner: EventStreamSlots

        fileprivate init(owner: EventStreamSlots) { self.owner = owner }

        deinit { owner.release() }
    }
}
