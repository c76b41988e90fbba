import ArgumentParser
import SpectralStore

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Inspect the outbox backlog and requeue dead events.",
        subcommands: [Stats.self, Requeue.self]
    )

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pending and dead events of this generation, and the oldest pending event's age.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            LogSetup.bootstrap()
            let generation = try store.resolvedGeneration
            let backlog = try await store.withStore(logger: LogSetup.logger("outbox")) { try await $0.backlog(generation: generation) }
            print("generation \(generation): \(backlog.pending) pending, \(backlog.dead) dead, oldest pending \(backlog.oldestPendingAge) s")
        }
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
