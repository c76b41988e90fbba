import ArgumentParser

@main
struct SpectralCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spectral",
        abstract: "An embedded decision engine: CEL predicates compiled to verified, fuel-metered bytecode.",
        subcommands: [EvalCommand.self, CheckCommand.self, CompileCommand.self, DisasmCommand.self,
                      ConformanceCommand.self, MigrateCommand.self, SubmitCommand.self, StatusCommand.self,
                      PredicatesCommand.self, OutboxCommand.self, WorkCommand.self, ServeCommand.self, KeysCommand.self, RunCommand.self, AuthorCommand.self]
    )
}
