import ArgumentParser
import SpectralStore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending schema migrations (forward-only, checksummed) to the store."
    )

    @OptionGroup var store: StoreOptions

    func run() async throws {
        LogSetup.bootstrap()
        let logger = LogSetup.logger("migrate")
        let location = try store.location
        do {
            let report = try await location.withStore(logger: logger) { try await $0.migrate() }
            let applied = report.applied.isEmpty ? "nothing to apply" : "applied \(report.applied.map(String.init).joined(separator: ", "))"
            print("\(location.redacted): \(applied); schema at migration \(report.current)")
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }
}
