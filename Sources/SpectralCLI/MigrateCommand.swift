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
        let opened = try await location.open(logger: logger)
        do {
            let report = try await opened.migrate()
            await opened.close()
            let applied = report.applied.isEmpty ? "nothing to apply" : "applied \(report.applied.map(String.init).joined(separator: ", "))"
            print("\(location.redacted): \(applied); schema at migration \(report.current)")
        } catch {
            await opened.close()
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }
}
