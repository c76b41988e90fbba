import NIOCore
import ServiceLifecycle
import Synchronization

/// The connections whose request body is being read, each with its deadline; a sweep closes
/// those past it.
///
/// Why not a timer per request: scheduling one on the connection's event loop from the
/// handler's thread takes the loop's locks and wakes it, and cancelling it fails a promise
/// off the loop, which wakes it again: several microseconds and two wake-ups on every
/// request, to guard against the rare client that trickles its body. Registering here is a
/// lock and a dictionary insertion; the cost of the guard moves to one sweep every
/// `sweepInterval`, so a body is cut off between its deadline and one interval after.
final class BodyDeadlines: Sendable {
    /// A registered read, to finish when the body is in.
    struct Ticket {
        fileprivate let id: UInt64
    }

    private struct Reading {
        let deadline: ContinuousClock.Instant
        let channel: any Channel
    }

    private struct State {
        var nextID: UInt64 = 0
        var reading: [UInt64: Reading] = [:]
    }

    let timeout: Duration
    private let state = Mutex(State())

    init(timeout: Duration) {
        self.timeout = timeout
    }

    /// A quarter of the timeout, between 10 ms and a second: late by at most a quarter
    /// for short timeouts, by a second for long ones.
    var sweepInterval: Duration { min(max(timeout / 4, .milliseconds(10)), .seconds(1)) }

    /// `channel` is reading a body from now on, until `finish`; no channel (a router-level
    /// test, without sockets), nothing to time.
    func start(_ channel: (any Channel)?, now: ContinuousClock.Instant = .now) -> Ticket? {
        guard let channel else { return nil }
        let reading = Reading(deadline: now + timeout, channel: channel)
        return state.withLock { state in
            state.nextID &+= 1
            state.reading[state.nextID] = reading
            return Ticket(id: state.nextID)
        }
    }

    func finish(_ ticket: Ticket?) {
        guard let ticket else { return }
        _ = state.withLock { $0.reading.removeValue(forKey: ticket.id) }
    }

    /// Closes every connection past its deadline (the read waiting on it ends with an
    /// error); how many it closed.
    @discardableResult
    func sweep(now: ContinuousClock.Instant = .now) -> Int {
        let overdue = state.withLock { state -> [any Channel] in
            let late = state.reading.filter { $0.value.deadline <= now }
            for id in late.keys { state.reading.removeValue(forKey: id) }
            return late.values.map(\.channel)
        }
        for channel in overdue { channel.close(promise: nil) }
        return overdue.count
    }

    /// Reads being timed now, for tests.
    var count: Int { state.withLock { $0.reading.count } }
}

/// Sweeps `BodyDeadlines` for as long as the application runs.
struct BodyDeadlineSweeper: Service {
    let deadlines: BodyDeadlines

    func run() async throws {
        let interval = deadlines.sweepInterval
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                deadlines.sweep()
            }
        }
    }
}
