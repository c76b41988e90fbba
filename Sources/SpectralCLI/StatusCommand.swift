import ArgumentParser
import Spectral
import SpectralCatalog
import SpectralStore

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what became of a submitted event: pending, published (name@version), rejected (diagnostics) or dead."
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: "The event id `spectral submit` printed.") var eventID: Int64
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        LogSetup.bootstrap()
        let status: EventStatus
        do {
            status = try await store.withStore(logger: LogSetup.logger("status")) { try await $0.status(ofEvent: eventID) }
        } catch let error as StoreError {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        print(json ? status.jsonValue(eventID: eventID).serialized() : status.text)
        switch status {
        case .published, .unchanged, .handled: return
        case .rejected, .deadLettered, .held: throw ExitCode.failure
        case .pending: throw ExitCodes.pending
        }
    }
}

extension EventStatus {
    var text: String {
        switch self {
        case .pending(let attempts, let lastError):
            // Attempts are counted when claimed: the last one without an error is in progress,
            // or its worker died (the next claim, after the lease, records that).
            if attempts == 0 { return "pending" }
            let count = "\(attempts) attempt\(attempts == 1 ? "" : "s")"
            return lastError.map { "pending (\(count); last error: \($0))" } ?? "pending (\(count); the last still running or its worker stopped)"
        case .published(let name, let version): return "published \(name)@\(version)"
        case .unchanged(let name, let version): return "unchanged: identical to the active \(name)@\(version), nothing published"
        case .held(let name, let version, let reason, let impact, let findings):
            return (["held \(name)@\(version) (published, not active; `spectral predicates activate` needs admin): \(reason)"]
                + (impact.map { [$0.summary()] } ?? []) + (findings.map { [$0.summary()] } ?? [])).joined(separator: "\n")
        case .rejected(let name, let diagnostics):
            return (["rejected \(name): \(diagnostics.count) diagnostic\(diagnostics.count == 1 ? "" : "s")"]
                + diagnostics.map { "[\($0.stage)] \($0.rendered ?? $0.message)" }).joined(separator: "\n")
        case .deadLettered(let attempts, let lastError):
            return "dead after \(attempts) attempts; last error: \(lastError ?? "unknown") (requeue with `spectral outbox requeue ID`)"
        case .handled: return "handled"
        }
    }
}
