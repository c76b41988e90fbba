import SpectralWorker
import Testing

@Suite("Doorbell: the worker's wake-up between polls")
struct DoorbellTests {
    @Test("wait returns after its timeout when nobody rings")
    func waitTimesOut() async {
        let bell = Doorbell()
        let started = ContinuousClock.now
        await bell.wait(timeout: .milliseconds(100))
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(100) && elapsed < .seconds(20))
    }

    @Test("a ring wakes a waiter early")
    func ringWakesWaiter() async {
        let bell = Doorbell()
        let started = ContinuousClock.now
        let ringer = Task {
            try? await Task.sleep(for: .milliseconds(50))
            bell.ring()
        }
        await bell.wait(timeout: .seconds(60))
        #expect(ContinuousClock.now - started < .seconds(30))
        await ringer.value
    }

    @Test("a ring with nobody waiting is remembered for the next wait, once")
    func ringIsRemembered() async {
        let bell = Doorbell()
        bell.ring()
        bell.ring()
        let started = ContinuousClock.now
        await bell.wait(timeout: .seconds(60))
        #expect(ContinuousClock.now - started < .seconds(30))
        // Two rings before one wait count once: the next wait sleeps its full timeout.
        let second = ContinuousClock.now
        await bell.wait(timeout: .milliseconds(300))
        #expect(ContinuousClock.now - second >= .milliseconds(300))
    }

    @Test("a wait that timed out leaves no ring behind")
    func timeoutLeavesNoRing() async {
        let bell = Doorbell()
        await bell.wait(timeout: .milliseconds(20))
        let started = ContinuousClock.now
        await bell.wait(timeout: .milliseconds(300))
        #expect(ContinuousClock.now - started >= .milliseconds(300))
    }

    @Test("a wait ended by a ring leaves no ring behind (its cancelled timer must not ring)")
    func ringedWaitLeavesNoRing() async {
        let bell = Doorbell()
        let ringer = Task {
            try? await Task.sleep(for: .milliseconds(50))
            bell.ring()
        }
        await bell.wait(timeout: .seconds(30))
        await ringer.value
        // The next wait must sleep its full timeout: nobody rang since.
        let started = ContinuousClock.now
        await bell.wait(timeout: .milliseconds(500))
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(500), "woken after \(elapsed) without a ring")
    }
}
