import Synchronization

/// Wakes one waiting task early: the worker waits on it between polls, and notifications
/// (LISTEN, the in-process signal) and shutdown ring it. A ring with nobody waiting is
/// remembered, so a notification that arrives just before the wait is not lost; a wait's
/// own timeout only ends that wait and leaves nothing behind for the next one.
///
/// Timeouts are measured on the clock it is given (`ContinuousClock` in production; a
/// manual clock in tests, which then decide when a wait times out).
public final class Doorbell: Sendable {
    private struct State {
        var rung = false
        /// The wait in progress (one at a time), its continuation once it has suspended, and
        /// whether its timer fired before it suspended.
        var waitID: UInt64?
        var continuation: CheckedContinuation<Void, Never>?
        var expired = false
        var nextID: UInt64 = 0

        mutating func endWait() -> CheckedContinuation<Void, Never>? {
            defer { (waitID, continuation, expired) = (nil, nil, false) }
            return continuation
        }
    }

    private let state = Mutex(State())
    private let clock: any Clock<Duration>

    public init(clock: any Clock<Duration> = ContinuousClock()) {
        self.clock = clock
    }

    public func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.continuation != nil { return state.endWait() }
            state.rung = true
            return nil
        }
        waiter?.resume()
    }

    /// True while a task is suspended in `wait`; a ring or the timeout ends that.
    public var hasWaiter: Bool { state.withLock { $0.continuation != nil } }

    /// Returns when rung (now or earlier), after `timeout`, or when the calling task is
    /// cancelled, whichever is first.
    public func wait(timeout: Duration) async {
        let id = state.withLock { state -> UInt64? in
            if state.rung {
                state.rung = false
                return nil
            }
            state.nextID += 1
            state.waitID = state.nextID
            return state.nextID
        }
        guard let id else { return }
        // The timer is a child task, so it ends with the wait however the wait ends. It
        // expires the wait also when cancelled, so a cancelled caller is not left waiting;
        // after a ring, expiring finds no wait with this id and does nothing.
        await withDiscardingTaskGroup { group in
            group.addTask { [clock] in
                try? await clock.sleep(for: timeout)
                self.expire(id)
            }
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.rung || state.expired {
                        state.rung = false
                        _ = state.endWait()
                        return true
                    }
                    state.continuation = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
            group.cancelAll()
        }
    }

    /// Ends wait `id` if it is still in progress (or makes it end as soon as it suspends).
    private func expire(_ id: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.waitID == id else { return nil }
            if state.continuation != nil { return state.endWait() }
            state.expired = true
            return nil
        }
        waiter?.resume()
    }
}
