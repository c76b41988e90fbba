import Foundation
import Synchronization

/// Makes `DecisionID`s: UUIDv7s whose order within this process is the order they were
/// made in (RFC 9562 §6.2, method 1: `rand_a` is a 12-bit counter).
///
/// The first id of each millisecond starts the counter at a random value below 2048, so
/// at least 2048 ids fit in the millisecond and the counter still says little about how
/// many were made; when it runs out, or the wall clock steps back, the id borrows the next
/// millisecond instead of repeating or going backwards. `rand_b`, 62 bits from the system's
/// CSPRNG, keeps ids from different processes (or generators) apart. Those bits are drawn
/// 32 words at a time (`RandomReserve`): a system call per id was a visible share of
/// a decide request's cost.
public final class DecisionIDGenerator: Sendable {
    private struct State {
        var milliseconds: UInt64 = 0
        var counter: UInt16 = 0
        var random = RandomReserve()
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> UInt64

    /// `clock` gives the Unix time in milliseconds (tests pass a fixed one).
    public init(clock: @escaping @Sendable () -> UInt64 = DecisionIDGenerator.wallClockMilliseconds) {
        self.clock = clock
    }

    public static let wallClockMilliseconds: @Sendable () -> UInt64 = {
        UInt64(max(0, Date().timeIntervalSince1970 * 1000))
    }

    public func next() -> DecisionID {
        let now = clock()
        let (milliseconds, counter, randB) = state.withLock { state -> (UInt64, UInt16, UInt64) in
            let randB = state.random.next()
            if now > state.milliseconds {
                state.milliseconds = now
                state.counter = UInt16(truncatingIfNeeded: state.random.next() & 0x7FF)
            } else if state.counter < 0xFFF {
                state.counter += 1
            } else {
                state.milliseconds += 1
                state.counter = 0
            }
            return (state.milliseconds, state.counter, randB)
        }
        return DecisionID(milliseconds: milliseconds, randA: counter, randB: randB)
    }
}
