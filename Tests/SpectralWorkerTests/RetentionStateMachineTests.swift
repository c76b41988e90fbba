import SpectralCatalog
import SpectralWorker
import Testing

@Suite("The decision log pruner's state machine")
struct RetentionStateMachineTests {
    static let now: UInt64 = 1_780_000_000_000
    static let retention = DecisionLogRetention(maxAge: .seconds(3600), maxRows: 1000, interval: .seconds(60), batchSize: 100,
                                                pause: .milliseconds(5))
    static let ageCutoff = DecisionID.earliest(atMilliseconds: now - 3_600_000)
    static let kept = DecisionID(milliseconds: now - 10, randA: 1, randB: 1)

    @Test("a pass: age batches until a short one, then the count cutoff, its batches, and the wait")
    func fullPass() {
        var machine = RetentionStateMachine(retention: Self.retention)
        let age = RetentionStateMachine.Action.prune(before: Self.ageCutoff, limit: 100, reason: .age)
        #expect(machine.startPass(nowMilliseconds: Self.now) == age)
        #expect(machine.next(after: .pruned(100), of: age) == .pause(.milliseconds(5)), "a full batch: more may be due")
        #expect(machine.next(after: .paused, of: .pause(.milliseconds(5))) == age, "the same cutoff again")
        #expect(machine.next(after: .pruned(40), of: age) == .findCountCutoff(keepingNewest: 1000))
        let count = RetentionStateMachine.Action.prune(before: Self.kept, limit: 100, reason: .count)
        #expect(machine.next(after: .countCutoff(Self.kept), of: .findCountCutoff(keepingNewest: 1000)) == count)
        #expect(machine.next(after: .pruned(100), of: count) == .pause(.milliseconds(5)))
        #expect(machine.next(after: .paused, of: .pause(.milliseconds(5))) == count, "the count cutoff is found once a pass")
        #expect(machine.next(after: .pruned(7), of: count) == .waitForNextPass(.seconds(60)))
        #expect(machine.totals == .init(byAge: 140, byCount: 107, failed: false))
        // The next pass counts afresh, with a cutoff that moved with the clock.
        let later = RetentionStateMachine.Action.prune(before: DecisionID.earliest(atMilliseconds: Self.now + 60_000 - 3_600_000),
                                                       limit: 100, reason: .age)
        #expect(machine.startPass(nowMilliseconds: Self.now + 60_000) == later)
        #expect(machine.totals == .init())
    }

    @Test("no more than the row limit logged: the pass ends after the count check")
    func underTheRowLimit() {
        var machine = RetentionStateMachine(retention: Self.retention)
        let age = machine.startPass(nowMilliseconds: Self.now)
        #expect(machine.next(after: .pruned(0), of: age) == .findCountCutoff(keepingNewest: 1000))
        #expect(machine.next(after: .countCutoff(nil), of: .findCountCutoff(keepingNewest: 1000)) == .waitForNextPass(.seconds(60)))
        #expect(machine.totals == .init())
    }

    @Test("a store failure ends the pass, counted, and the next starts from scratch")
    func storeFailureEndsThePass() {
        var machine = RetentionStateMachine(retention: Self.retention)
        let age = machine.startPass(nowMilliseconds: Self.now)
        #expect(machine.next(after: .pruned(100), of: age) == .pause(.milliseconds(5)))
        #expect(machine.next(after: .storeFailed, of: age) == .waitForNextPass(.seconds(60)))
        #expect(machine.totals == .init(byAge: 100, byCount: 0, failed: true))
        #expect(machine.next(after: .storeFailed, of: .findCountCutoff(keepingNewest: 1000)) == .waitForNextPass(.seconds(60)))
        #expect(machine.startPass(nowMilliseconds: Self.now) == age)
        #expect(!machine.totals.failed)
    }

    @Test("only one limit: the other phase is skipped")
    func oneLimitOnly() {
        var ageOnly = RetentionStateMachine(retention: DecisionLogRetention(maxAge: .seconds(10), maxRows: nil, batchSize: 5))
        let age = ageOnly.startPass(nowMilliseconds: Self.now)
        #expect(age == .prune(before: DecisionID.earliest(atMilliseconds: Self.now - 10_000), limit: 5, reason: .age))
        #expect(ageOnly.next(after: .pruned(2), of: age) == .waitForNextPass(.seconds(60)))

        var countOnly = RetentionStateMachine(retention: DecisionLogRetention(maxAge: nil, maxRows: 3, batchSize: 5))
        #expect(countOnly.startPass(nowMilliseconds: Self.now) == .findCountCutoff(keepingNewest: 3))
        #expect(DecisionLogRetention(maxAge: nil, maxRows: nil).keepsEverything)
    }

    @Test("an age longer than the epoch cuts off at zero, pruning nothing")
    func hugeAge() {
        var machine = RetentionStateMachine(retention: DecisionLogRetention(maxAge: .seconds(Int64(Self.now)), maxRows: nil))
        #expect(machine.startPass(nowMilliseconds: Self.now) == .prune(before: DecisionID.earliest(atMilliseconds: 0), limit: 5_000, reason: .age))
    }

    @Test("the age cutoff sorts between the last id of the millisecond before and every id of its own")
    func ageCutoffOrder() {
        let cutoff = DecisionID.earliest(atMilliseconds: 1_000)
        #expect(DecisionID(milliseconds: 999, randA: 0xFFF, randB: .max) < cutoff)
        #expect(cutoff < DecisionID(milliseconds: 1_000, randA: 0, randB: 0))
        #expect(cutoff.text < DecisionID(milliseconds: 1_000, randA: 0, randB: 0).text, "SQLite compares the text")
        #expect(DecisionID(milliseconds: 999, randA: 0xFFF, randB: .max).text < cutoff.text)
    }
}
