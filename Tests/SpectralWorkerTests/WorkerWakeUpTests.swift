import Foundation
import SpectralCatalog
import SpectralStore
import SpectralTestSupport
import SpectralWorker
import Testing

/// Wake-ups, observed rather than waited out: each worker here runs on a `ManualClock`, so
/// its poll interval ends only when the test advances the clock, and a test knows the
/// worker is idle (`idle`) before it acts. Whatever happens next is caused by the test's
/// action alone, and `OutboxWorker.activity` says what the worker decided.
@Suite("The outbox worker: wake-ups by notification and by polling")
struct WorkerWakeUpTests {
    /// How long a condition that must come true is waited for: generous, because a full test
    /// run can keep the cooperative pool busy for seconds; only a broken worker waits it out.
    static let patience = Duration.seconds(60)

    static func configuration(listens: Bool, pollInterval: Duration = .seconds(30), clock: ManualClock) -> WorkerConfiguration {
        var configuration = fastConfiguration(listens: listens, pollInterval: pollInterval)
        configuration.clock = clock
        return configuration
    }

    /// Waits until the worker is idle: its listener (if it listens) has announced itself, it
    /// is suspended waiting for work with no ring pending, and its poll timer is set on the
    /// clock. From then on only a ring or the clock can make it claim again.
    static func idle(_ worker: OutboxWorker, listens: Bool, clock: ManualClock) async throws {
        let idle = try await eventually(timeout: patience, interval: .milliseconds(5)) {
            (!listens || worker.activity.notifications >= 1) && worker.isWaitingForWork && clock.deadlines.count == 1
        }
        try #require(idle, "the worker did not become idle within \(patience): \(worker.activity), timers \(clock.deadlines)")
    }

    static func submit(_ store: any Store, _ name: String, generation: Int64 = 1) async throws -> Int64 {
        try await store.submit(topic: OutboxMessage.Topic.predicateAuthored, payload: authoringPayload(name: name, source: "true"),
                               generation: generation)
    }

    // Fails if a notification does not wake the worker: its clock never moves, so no poll
    // can find the event instead, and the status stays pending.
    @Test("a listening worker wakes up for a new event without polling", arguments: TestBackend.allCases)
    func notificationWakesTheWorker(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let clock = ManualClock()
            let running = RunningWorker(store: store, configuration: Self.configuration(listens: true, clock: clock))
            try await Self.idle(running.worker, listens: true, clock: clock)
            let id = try await Self.submit(store, "woken")
            let status = try await settledStatus(store, id, timeout: Self.patience)
            await running.shutDown()
            #expect(status == .published(name: "woken", version: 1))
        }
    }

    // Fails if any wake-up is lost, for instance if a wait ended by a ring left the doorbell
    // unable to wake the next one: that round's event stays pending (the clock never moves).
    @Test("a listening worker wakes up for each of several events in a row", arguments: TestBackend.allCases)
    func repeatedWakeUps(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let clock = ManualClock()
            let running = RunningWorker(store: store, configuration: Self.configuration(listens: true, clock: clock))
            for round in 1...3 {
                try await Self.idle(running.worker, listens: true, clock: clock)
                let id = try await Self.submit(store, "again")
                #expect(try await settledStatus(store, id, timeout: Self.patience) == .published(name: "again", version: round), "round \(round)")
            }
            await running.shutDown()
        }
    }

    // Fails if a notification of another generation rings the doorbell (the ring is counted
    // before the notification, so the snapshot taken once the notification is counted shows
    // it), or if notifications stop reaching the worker at all (the first wait times out).
    @Test("notifications of another generation do not wake the worker", arguments: TestBackend.allCases)
    func otherGenerationsDoNotWake(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let clock = ManualClock()
            let running = RunningWorker(store: store, configuration: Self.configuration(listens: true, clock: clock))
            let worker = running.worker
            try await Self.idle(worker, listens: true, clock: clock)
            let before = worker.activity

            let other = try await Self.submit(store, "elsewhere", generation: 2)
            let heard = try await eventually(timeout: Self.patience, interval: .milliseconds(5)) {
                worker.activity.notifications > before.notifications
            }
            try #require(heard, "the generation-2 notification never reached the worker")
            let after = worker.activity
            #expect(after.wakeUpNotifications == before.wakeUpNotifications, "a generation-2 notification rang the worker")
            #expect(after.claims == before.claims)
            #expect(worker.isWaitingForWork)

            let own = try await Self.submit(store, "mine")
            #expect(try await settledStatus(store, own, timeout: Self.patience) == .published(name: "mine", version: 1))
            #expect(worker.activity.wakeUpNotifications == before.wakeUpNotifications + 1)
            #expect(try await store.status(ofEvent: other) == .pending(attempts: 0, lastError: nil))
            await running.shutDown()
        }
    }

    // Fails if a ring outlives the wait it ended (a stale ring makes the next wait return at
    // once: a third claim before the worker is idle again), or if the worker does not claim
    // again after handling an event (one claim).
    @Test("one notification costs the idle worker two claims: the event, then nothing", arguments: TestBackend.allCases)
    func oneWakeUpPerNotification(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let clock = ManualClock()
            let running = RunningWorker(store: store, configuration: Self.configuration(listens: true, clock: clock))
            let worker = running.worker
            try await Self.idle(worker, listens: true, clock: clock)
            let before = worker.activity

            let id = try await Self.submit(store, "once")
            #expect(try await settledStatus(store, id, timeout: Self.patience) == .published(name: "once", version: 1))
            // Idle again: nothing more can happen until a ring or the clock, so the count is final.
            try await Self.idle(worker, listens: true, clock: clock)
            let claims = worker.activity.claims - before.claims
            await running.shutDown()
            #expect(claims == 2, "\(claims) claims for one notification")
        }
    }

    // Fails if the worker waits for any other time than its poll interval (advancing the
    // clock 1 ns short of it would wake it, or the last nanosecond would not), if it does not
    // claim when the interval ends (the event stays pending), or if it listens although told
    // not to (`listen` called: checked after `run()` returned, when no listener can start late).
    @Test("a worker that does not listen finds new events exactly when its poll interval ends", arguments: TestBackend.allCases)
    func pollingWorkerWaitsItsInterval(_ backend: TestBackend) async throws {
        try await withStore(backend) { base in
            let store = CountingStore(base)
            let clock = ManualClock()
            let interval = Duration.seconds(30)
            // Submitted before the worker starts, so its first claim takes it; then it waits.
            let first = try await Self.submit(store, "first")
            let running = RunningWorker(store: store, configuration: Self.configuration(listens: false, pollInterval: interval, clock: clock))
            let worker = running.worker
            #expect(try await settledStatus(store, first, timeout: Self.patience) == .published(name: "first", version: 1))
            try await Self.idle(worker, listens: false, clock: clock)
            #expect(clock.deadlines == [clock.now.advanced(by: interval)])

            let id = try await Self.submit(store, "unheard")
            #expect(clock.advance(by: interval - .nanoseconds(1)) == 0, "woken before its poll interval")
            #expect(clock.advance(by: .nanoseconds(1)) == 1, "not woken when its poll interval ended")
            #expect(try await settledStatus(store, id, timeout: Self.patience) == .published(name: "unheard", version: 1))
            await running.shutDown()
            #expect(store.listenCount == 0, "a worker told not to listen called listen")
            #expect(worker.activity.notifications == 0)
        }
    }

    // Fails if a listening worker relies on notifications alone: this store loses them, so
    // only the poll at the end of the interval can find the event (it stays pending).
    @Test("a listening worker still polls: an event whose notification is lost is found at its poll", arguments: TestBackend.allCases)
    func pollingFindsEventsWithoutNotifications(_ backend: TestBackend) async throws {
        try await withStore(backend) { base in
            let store = CountingStore(base, losesNotifications: true)
            let clock = ManualClock()
            let interval = Duration.milliseconds(100)
            let running = RunningWorker(store: store, configuration: Self.configuration(listens: true, pollInterval: interval, clock: clock))
            let worker = running.worker
            try await Self.idle(worker, listens: true, clock: clock)
            let before = worker.activity

            let id = try await Self.submit(store, "polled")
            #expect(clock.advance(by: interval) == 1, "no poll timer ended at the poll interval")
            #expect(try await settledStatus(store, id, timeout: Self.patience) == .published(name: "polled", version: 1))
            #expect(worker.activity.wakeUpNotifications == before.wakeUpNotifications, "a lost notification woke the worker")
            await running.shutDown()
        }
    }
}
