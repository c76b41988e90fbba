import ArgumentParser
import SpectralStore

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Inspect the outbox backlog and the registered workers; requeue dead events.",
        subcommands: [Stats.self, Workers.self, Requeue.self]
    )

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pending and dead events of this generation, and the oldest pending event's age.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            LogSetup.bootstrap()
            let generation = try store.resolvedGeneration
            let backlog = try await store.withStore(logger: LogSetup.logger("outbox")) { try await $0.backlog(generation: generation) }
            print("generation \(generation): \(backlog.pending) pending, \(backlog.dead) dead, oldest pending \(OutboxCommand.age(backlog.oldestPendingAge))")
        }
    }

    struct Workers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The registered workers: generation, host, pid, and whether each runs, stopped, or went silent.",
            discussion: "A newer generation adopts an older one's pending events once none of its workers runs.")
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Seconds of silence after which a worker that never said it stopped counts as gone.", valueName: "s"))
        var adoptAfter = 30.0

        func run() async throws {
            LogSetup.bootstrap()
            let workers = try await store.withStore(logger: LogSetup.logger("outbox")) { try await $0.registeredWorkers() }
            for worker in workers {
                let registration = worker.registration
                let state = worker.stoppedAt != nil ? "stopped"
                    : worker.isRunning(silence: .seconds(adoptAfter)) ? "running" : "silent"
                print("generation \(registration.generation)  \(state)  \(registration.host) pid \(registration.pid)  "
                      + "last heard \(OutboxCommand.age(worker.silentFor)) ago  \(registration.id)")
            }
            if workers.isEmpty { print("no workers registered") }
        }
    }

    /// `0.06 s`, `4.2 s`, `3 min 12 s`: an age a person reads at a glance.
    static func age(_ seconds: Double) -> String {
        if seconds < 10 { return "\((seconds * 100).rounded() / 100) s" }
        if seconds < 120 { return "\(Int(seconds.rounded())) s" }
        let whole = Int(seconds.rounded())
        return whole < 7200 ? "\(whole / 60) min \(whole % 60) s" : "\(whole / 3600) h \(whole % 3600 / 60) min"
    }

    struct Requeue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a dead event back to pending, attempts reset.")
        @OptionGroup var store: StoreOptions
        @Argument var eventID: Int64

        func run() async throws {
            LogSetup.bootstrap()
            try await reportingStoreErrors {
                try await store.withStore(logger: LogSetup.logger("outbox")) { try await $0.requeue(eventID: eventID) }
            }
            print("event \(eventID) requeued")
        }
    }
}
