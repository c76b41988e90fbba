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
            print("generation \(generation): \(backlog.pending) pending, \(backlog.dead) dead, oldest pending \(OutboxCommand.age(backlog.oldestPendingAge))")
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
