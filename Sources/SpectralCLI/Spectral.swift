import ArgumentParser
import Foundation
import SpectralHTTP

@main
struct SpectralCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spectral",
        abstract: "An embedded decision engine: CEL predicates compiled to verified, fuel-metered bytecode.",
        // The version /health reports; the container image's build checks its label against it.
        version: SpectralVersion.current,
        subcommands: [EvalCommand.self, CheckCommand.self, CompileCommand.self, DisasmCommand.self,
                      ConformanceCommand.self, MigrateCommand.self, SubmitCommand.self, StatusCommand.self,
                      PredicatesCommand.self, DecisionsCommand.self, OutboxCommand.self, WorkCommand.self, ServeCommand.self, KeysCommand.self, RunCommand.self, AuthorCommand.self,
                      BackupCommand.self, RestoreCommand.self, HealthCommand.self]
    )

    /// Runs the chosen subcommand; an error it throws while running is reported with that
    /// subcommand's usage (ArgumentParser's default main would show the root's bare
    /// `Usage: spectral <subcommand>`).
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch let error as ValidationError {
            let name = type(of: command).configuration.commandName ?? ""
            printError("Error: \(error.message)")
            printError("Usage: \(usageString(for: type(of: command)))")
            printError("  See 'spectral \(name) --help' for more information.")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
