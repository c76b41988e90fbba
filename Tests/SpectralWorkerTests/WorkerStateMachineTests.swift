import SpectralWorker
import Testing

@Suite("The worker's state machine")
struct WorkerStateMachineTests {
    static let configuration = WorkerConfiguration(
        generation: 3, pollInterval: .milliseconds(250), listens: true, maxAttempts: 4,
        retryBase: .seconds(1), retryCap: .seconds(10),
        storeBackoffFirst: .milliseconds(100), storeBackoffCap: .milliseconds(700))

    func machine() -> WorkerStateMachine { WorkerStateMachine(configuration: Self.configuration) }

    @Test("it starts by claiming")
    func startsByClaiming() {
        var machine = machine()
        #expect(machine.start() == .claim)
        #expect(!machine.isDraining && machine.storeFailures == 0)
    }

    @Test("a handled event, or a recorded failure, is followed by another claim")
    func handledThenClaim() {
        var machine = machine()
        _ = machine.start()
        #expect(machine.next(after: .handled) == .claim)
        #expect(machine.next(after: .handled) == .claim)
        #expect(machine.next(after: .failureRecorded) == .claim)
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
        let expected: [(attempts: Int, delay: Duration)] = [
            (0, .seconds(1)), (1, .seconds(2)), (2, .seconds(4)), (3, .seconds(8)), (4, .seconds(10)), (5, .seconds(10)),
            (100, .seconds(10)), (Int.max - 1, .seconds(10)),
        ]
        for (attempts, delay) in expected {
            #expect(machine.next(after: .handlerFailed(eventID: 42, attempts: attempts, permanent: false))
                    == .recordFailure(eventID: 42, retryAfter: delay, maxAttempts: 4), "after \(attempts) failed attempts")
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
        #expect(machine.next(after: .handlerFailed(eventID: 7, attempts: 0, permanent: true))
                == .recordFailure(eventID: 7, retryAfter: .seconds(1), maxAttempts: 1))
        #expect(machine.next(after: .handlerFailed(eventID: 7, attempts: 2, permanent: true))
                == .recordFailure(eventID: 7, retryAfter: .seconds(4), maxAttempts: 1))
    }

    @Test("store failures back off, doubling up to the cap")
    func storeFailuresBackOff() {
        var machine = machine()
        _ = machine.start()
        let delays = (0..<6).map { _ in machine.next(after: .storeFailed) }
        #expect(delays == [.backOff(.milliseconds(100)), .backOff(.milliseconds(200)), .backOff(.milliseconds(400)),
                           .backOff(.milliseconds(700)), .backOff(.milliseconds(700)), .backOff(.milliseconds(700))])
        #expect(machine.storeFailures == 6)
        // Many failures in a row: no overflow, still the cap.
        for _ in 0..<200 { _ = machine.next(after: .storeFailed) }
        #expect(machine.next(after: .storeFailed) == .backOff(.milliseconds(700)))
    }

    @Test("the store backoff resets after any outcome that reached the store", arguments: [
        WorkerStateMachine.Outcome.handled, .nothingClaimable, .failureRecorded,
        .handlerFailed(eventID: 1, attempts: 0, permanent: false),
    ])
    func storeBackoffResets(_ success: WorkerStateMachine.Outcome) {
        var machine = machine()
        _ = machine.start()
        _ = machine.next(after: .storeFailed)
        _ = machine.next(after: .storeFailed)
        #expect(machine.next(after: .storeFailed) == .backOff(.milliseconds(400)))
        _ = machine.next(after: success)
        #expect(machine.storeFailures == 0)
        #expect(machine.next(after: .storeFailed) == .backOff(.milliseconds(100)))
    }

    @Test("once draining, every outcome stops the worker", arguments: [
        WorkerStateMachine.Outcome.handled, .nothingClaimable, .failureRecorded, .storeFailed,
    ])
    func drainingStops(_ outcome: WorkerStateMachine.Outcome) {
        var machine = machine()
        _ = machine.start()
        machine.requestShutdown()
        #expect(machine.isDraining)
        #expect(machine.next(after: outcome) == .stop)
    }

    @Test("draining still records a handler failure first, then stops")
    func drainingRecordsFailureFirst() {
        var machine = machine()
        _ = machine.start()
        machine.requestShutdown()
        #expect(machine.next(after: .handlerFailed(eventID: 9, attempts: 1, permanent: false))
                == .recordFailure(eventID: 9, retryAfter: .seconds(2), maxAttempts: 4))
        #expect(machine.next(after: .failureRecorded) == .stop)
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
    }
}
