import SpectralTestSupport
import SpectralWorker
import Testing

/// The doorbell on a manual clock: a wait's timeout ends only when the test advances the
/// clock, so "still waiting" is a fact (`hasWaiter`), not a guess after a sleep.
@Suite("Doorbell: the worker's wake-up between polls")
struct DoorbellTests {
    /// How long a condition that must come true is waited for: generous, because a full test
    /// run can keep the cooperative pool busy for seconds; only a broken doorbell waits it out.
    static let patience = Duration.seconds(60)

    /// Starts `bell.wait(timeout:)` in a task and returns once it is suspended with its timer set.
    static func waiting(_ bell: Doorbell, _ clock: ManualClock, timeout: Duration) async throws -> Task<Void, Never> {
        let task = Task { await bell.wait(timeout: timeout) }
        let suspended = try await eventually(timeout: patience, interval: .milliseconds(2)) {
            bell.hasWaiter && clock.deadlines.count == 1
        }
        try #require(suspended, "the wait did not suspend")
        return task
    }

    static func ends(_ task: Task<Void, Never>) async -> Bool {
        await finishes(within: patience) { await task.value }
    }

    // Fails if the wait ends before its timeout (the first advance wakes it) or not at it.
    @Test("wait returns when its timeout has passed on the clock, not before")
    func waitTimesOut() async throws {
        let clock = ManualClock(), bell = Doorbell(clock: clock)
        let task = try await Self.waiting(bell, clock, timeout: .milliseconds(100))
        #expect(clock.advance(by: .milliseconds(100) - .nanoseconds(1)) == 0)
        #expect(bell.hasWaiter)
        #expect(clock.advance(by: .nanoseconds(1)) == 1)
        #expect(await Self.ends(task))
    }

    // Fails if a ring does not end the wait (the clock never moves, so nothing else would).
    @Test("a ring wakes a waiter early")
    func ringWakesWaiter() async throws {
        let clock = ManualClock(), bell = Doorbell(clock: clock)
        let task = try await Self.waiting(bell, clock, timeout: .seconds(60))
        bell.ring()
        #expect(await Self.ends(task))
        #expect(clock.deadlines.isEmpty, "the ended wait left its timer running")
    }

    // Fails if an early ring is lost (the first wait would suspend) or counted twice (the
    // second wait would return at once instead of suspending).
    @Test("a ring with nobody waiting is remembered for the next wait, once")
    func ringIsRemembered() async throws {
        let clock = ManualClock(), bell = Doorbell(clock: clock)
        bell.ring()
        bell.ring()
        #expect(await finishes(within: Self.patience) { await bell.wait(timeout: .seconds(60)) })
        #expect(clock.sleepsBegun == 0, "a remembered ring should end the wait before any timer starts")
        let second = try await Self.waiting(bell, clock, timeout: .seconds(60))
        bell.ring()
        #expect(await Self.ends(second))
    }

    // Fails if a timeout leaves a ring behind: the next wait would return at once.
    @Test("a wait that timed out leaves no ring behind")
    func timeoutLeavesNoRing() async throws {
        let clock = ManualClock(), bell = Doorbell(clock: clock)
        let first = try await Self.waiting(bell, clock, timeout: .milliseconds(20))
        clock.advance(by: .milliseconds(20))
        #expect(await Self.ends(first))
        let second = try await Self.waiting(bell, clock, timeout: .seconds(60))
        bell.ring()
        #expect(await Self.ends(second))
    }

    // Fails if the timer of a wait ended by a ring leaves a ring behind when it is cancelled
    // (the next wait would not suspend) or still fires at its deadline (the next wait would
    // end when the clock passes it).
    @Test("a wait ended by a ring leaves no ring behind (its cancelled timer must not ring)")
    func ringedWaitLeavesNoRing() async throws {
        let clock = ManualClock(), bell = Doorbell(clock: clock)
        let first = try await Self.waiting(bell, clock, timeout: .seconds(30))
        bell.ring()
        #expect(await Self.ends(first))
        let second = try await Self.waiting(bell, clock, timeout: .seconds(60))
        #expect(clock.advance(by: .seconds(30)) == 0)
        #expect(bell.hasWaiter, "woken at the first wait's deadline without a ring")
        bell.ring()
        #expect(await Self.ends(second))
    }
}
