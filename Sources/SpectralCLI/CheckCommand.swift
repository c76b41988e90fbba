import ArgumentParser
import Spectral

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and type-check an expression; print its type and static cost bound."
    )

    @OptionGroup var declarations: DeclarationOptions
    @Argument(help: "The expression.") var expression: String

    func run() throws {
        let environment = Environment(declared: try declarations.declared())
        do {
            let program = try compile(expression, in: environment)
            let bound = program.module.costBound == .max ? "depends on input sizes" : String(program.module.costBound)
            print("ok: \(program.resultType), cost bound \(bound)")
        } catch {
            printError(error.rendered())
            throw ExitCodes.compileError
        }
    }
}
