import Foundation
import SpectralCatalog
import SpectralWorker
import Testing

@Suite("The worker's state machine")
struct WorkerStateMachineTests {
    static let configuration = WorkerConfiguration(
        generation: 3, pollInterval: .milliseconds(250), listens: true, maxAttempts: 4,
        retryBase: .seconds(1), retryCap: .seconds(10),
        storeBackoffFirst: .milliseconds(100), storeBackoffCap: .milliseconds(700))

    func machine() -> WorkerStateMachine { WorkerStateMachine(configuration: Self.configuration) }

    /// A claim of event `id` at attempt `attempts` (this one included).
    static func claim(_ id: Int64, attempts: Int = 1) -> Claim {
        Claim(event: OutboxEvent(id: id, generation: 3, topic: "t", payload: "{}", attempts: attempts,
                                 createdAt: Date(timeIntervalSince1970: 0)), token: "token-\(id)-\(attempts)")
    }

    // Fails if a worker sleeps through an event it may claim, or wakes for one it may not.
    @Test("a notification wakes it for its own generation, older ones when it adopts, and reconnections")
    func notificationsThatWakeIt() {
        let adopting = machine()  // generation 3, adopting after the default silence
        #expect(adopting.wakesUp(onNotification: "3") && adopting.wakesUp(onNotification: ""))
        #expect(adopting.wakesUp(onNotification: "2") && adopting.wakesUp(onNotification: "0"))
        #expect(!adopting.wakesUp(onNotification: "4"), "a newer generation's event is never adopted")
        #expect(!adopting.wakesUp(onNotification: "x") && !adopting.wakesUp(onNotification: " 3"))

        var configuration = Self.configuration
        configuration.adoptAfter = nil
        let own = WorkerStateMachine(configuration: configuration)
        #expect(own.wakesUp(onNotification: "3") && own.wakesUp(onNotification: ""))
        #expect(!own.wakesUp(onNotification: "2") && !own.wakesUp(onNotification: "4"))
    }

    @Test("it starts by claiming")
    func startsByClaiming() {
        var machine = machine()
        #expect(machine.start() == .claim)
        #expect(!machine.isDraining && machine.storeFailures == 0)
    }

    @Test("an event goes claim → handle → complete, then the next claim")
    func claimHandleComplete() {
        var machine = machine()
        _ = machine.start()
        let claim = Self.claim(5)
        #expect(machine.next(after: .claimed(claim), of: .claim) == .handle(claim))
        #expect(machine.next(after: .handlerFinished(claim), of: .handle(claim)) == .complete(claim))
        #expect(machine.next(after: .handled, of: .complete(claim)) == .claim)
    }

    @Test("a recorded failure, or a claim lost to another worker, is followed by another claim")
    func failureRecordedOrLostThenClaim() {
        var machine = machine()
        _ = machine.start()
        #expect(machine.next(after: .failureRecorded) == .claim)
        #expect(machine.next(after: .claimLost) == .claim)
    }

    @Test("nothing claimable waits for work at most the poll interval")
    func nothingClaimableWaits() {
        var machine = machine()
        _ = machine.start()
        #expect(machine.next(after: .nothingClaimable) == .waitForWork(.milliseconds(250)))
        #expect(machine.next(after: .nothingClaimable) == .waitForWork(.milliseconds(250)))
    }

    @Test("a handler failure records a retry after a delay doubling from retryBase up to retryCap")
    func handlerFailureBacksOffExponentially() {
        var machine = machine()
        _ = machine.start()
        // Attempts count the failed one: it was counted when claimed.
        let expected: [(attempts: Int, delay: Duration)] = [
            (1, .seconds(1)), (2, .seconds(2)), (3, .seconds(4)), (4, .seconds(8)), (5, .seconds(10)), (6, .seconds(10)),
            (100, .seconds(10)), (Int.max, .seconds(10)),
        ]
        for (attempts, delay) in expected {
            let claim = Self.claim(42, attempts: attempts)
            #expect(machine.next(after: .handlerFailed(claim, permanent: false))
                    == .recordFailure(claim, retryAfter: delay, maxAttempts: 4), "after attempt \(attempts) failed")
        }
        #expect(machine.next(after: .failureRecorded) == .claim)
    }

    @Test("retryDelay(afterAttempt:) is retryBase × 2^(attempt−1), capped")
    func retryDelayFormula() {
        let machine = machine()
        #expect(machine.retryDelay(afterAttempt: 0) == .seconds(1))
        #expect(machine.retryDelay(afterAttempt: 1) == .seconds(1))
        #expect(machine.retryDelay(afterAttempt: 2) == .seconds(2))
        #expect(machine.retryDelay(afterAttempt: 4) == .seconds(8))
        #expect(machine.retryDelay(afterAttempt: 5) == .seconds(10))
        #expect(machine.retryDelay(afterAttempt: -3) == .seconds(1))
    }

    @Test("a cap that is not a power-of-two multiple of the base is reached exactly")
    func oddCap() {
        let machine = WorkerStateMachine(configuration: WorkerConfiguration(retryBase: .seconds(3), retryCap: .seconds(10)))
        #expect((1...5).map { machine.retryDelay(afterAttempt: $0) } == [.seconds(3), .seconds(6), .seconds(10), .seconds(10), .seconds(10)])
        let inverted = WorkerStateMachine(configuration: WorkerConfiguration(retryBase: .seconds(20), retryCap: .seconds(10)))
        #expect(inverted.retryDelay(afterAttempt: 1) == .seconds(10))
    }

    @Test("a permanent handler failure is recorded with maxAttempts 1")
    func permanentFailureDeadLettersAtOnce() {
        var machine = machine()
        _ = machine.start()
        let first = Self.claim(7, attempts: 1), third = Self.claim(7, attempts: 3)
        #expect(machine.next(after: .handlerFailed(first, permanent: true)) == .recordFailure(first, retryAfter: .seconds(1), maxAttempts: 1))
        #expect(machine.next(after: .handlerFailed(third, permanent: true)) == .recordFailure(third, retryAfter: .seconds(4), maxAttempts: 1))
    }

    @Test("store failures back off, doubling up to the cap")
    func storeFailuresBackOff() {
        var machine = machine()
        _ = machine.start()
        let delays = (0..<6).map { _ in machine.next(after: .storeFailed, of: .claim) }
        #expect(delays == [.backOff(.milliseconds(100)), .backOff(.milliseconds(200)), .backOff(.milliseconds(400)),
                           .backOff(.milliseconds(700)), .backOff(.milliseconds(700)), .backOff(.milliseconds(700))])
        #expect(machine.storeFailures == 6)
        // Many failures in a row: no overflow, still the cap.
        for _ in 0..<200 { _ = machine.next(after: .storeFailed, of: .claim) }
        #expect(machine.next(after: .storeFailed, of: .claim) == .backOff(.milliseconds(700)))
        // The sleep's end is not a success: the next failure still backs off at the cap.
        #expect(machine.next(after: .slept) == .claim)
        #expect(machine.next(after: .storeFailed, of: .claim) == .backOff(.milliseconds(700)))
    }

    @Test("the store backoff resets after any outcome that reached the store", arguments: [
        WorkerStateMachine.Outcome.handled, .nothingClaimable, .failureRecorded, .claimLost, .claimed(WorkerStateMachineTests.claim(1)),
    ])
    func storeBackoffResets(_ success: WorkerStateMachine.Outcome) {
        var machine = machine()
        _ = machine.start()
        _ = machine.next(after: .storeFailed, of: .claim)
        _ = machine.next(after: .storeFailed, of: .claim)
        #expect(machine.next(after: .storeFailed, of: .claim) == .backOff(.milliseconds(400)))
        _ = machine.next(after: success)
        #expect(machine.storeFailures == 0)
        #expect(machine.next(after: .storeFailed, of: .claim) == .backOff(.milliseconds(100)))
    }

    @Test("a store failure while completing or recording a failure retries that step after the backoff, not a new claim")
    func interruptedStepIsRetried() {
        let claim = Self.claim(11, attempts: 2)
        for step in [WorkerStateMachine.Action.complete(claim), .recordFailure(claim, retryAfter: .seconds(2), maxAttempts: 4)] {
            var machine = machine()
            _ = machine.start()
            #expect(machine.next(after: .storeFailed, of: step) == .backOff(.milliseconds(100)))
            #expect(machine.next(after: .slept) == step)
            #expect(machine.next(after: .storeFailed, of: step) == .backOff(.milliseconds(200)))
            #expect(machine.next(after: .slept) == step)
            // Done at last: back to claiming, with nothing left to retry.
            #expect(machine.next(after: step == .complete(claim) ? .handled : .failureRecorded, of: step) == .claim)
            #expect(machine.interrupted == nil)
            #expect(machine.next(after: .storeFailed, of: .claim) == .backOff(.milliseconds(100)))
            #expect(machine.next(after: .slept) == .claim)
        }
    }

    @Test("once draining, every outcome that ends an event or a wait stops the worker", arguments: [
        WorkerStateMachine.Outcome.handled, .nothingClaimable, .failureRecorded, .storeFailed, .claimLost, .slept,
    ])
    func drainingStops(_ outcome: WorkerStateMachine.Outcome) {
        var machine = machine()
        _ = machine.start()
        machine.requestShutdown()
        #expect(machine.isDraining)
        #expect(machine.next(after: outcome) == .stop)
    }

    @Test("draining still handles a claimed event and completes it, or records its failure, then stops")
    func drainingFinishesTheEventInFlight() {
        let claim = Self.claim(9, attempts: 2)
        var machine = machine()
        _ = machine.start()
        machine.requestShutdown()
        #expect(machine.next(after: .claimed(claim)) == .handle(claim))
        #expect(machine.next(after: .handlerFinished(claim)) == .complete(claim))
        #expect(machine.next(after: .handled) == .stop)

        var failing = self.machine()
        _ = failing.start()
        failing.requestShutdown()
        #expect(failing.next(after: .handlerFailed(claim, permanent: false)) == .recordFailure(claim, retryAfter: .seconds(2), maxAttempts: 4))
        #expect(failing.next(after: .failureRecorded) == .stop)
    }

    @Test("a machine told to shut down before it starts never claims")
    func shutdownBeforeStart() {
        var machine = machine()
        machine.requestShutdown()
        #expect(machine.start() == .stop)
    }

    @Test("the default configuration suits production")
    func defaults() {
        let configuration = WorkerConfiguration()
        #expect(configuration.generation == 1 && configuration.listens && configuration.maxAttempts == 5)
        #expect(configuration.pollInterval == .seconds(1))
        #expect(configuration.retryBase == .seconds(1) && configuration.retryCap == .seconds(300))
        #expect(configuration.storeBackoffFirst == .milliseconds(100) && configuration.storeBackoffCap == .seconds(5))
        // A live worker ends its claim (the budget, then a store call of at most 15 s) before the lease does.
        #expect(configuration.handlerBudget == .seconds(10) && configuration.claimLease == .seconds(60))
        #expect(configuration.claimLease > configuration.handlerBudget + .seconds(15))
    }
}
