import ArgumentParser
import Spectral
import SpectralJSON

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate an expression and print the result as JSON.",
        discussion: """
        Exit status: 0 with a result, 1 for an evaluation error, 2 for a parse or check error, \
        3 when fuel or memory ran out. Input variables not declared with --declare are declared as dyn.
        """
    )

    @Option(help: "Input bindings as a JSON object.") var input: String?
    @Option(help: "Read the input bindings from a JSON file.") var inputFile: String?
    @OptionGroup var declarations: DeclarationOptions
    @Option(help: "Fuel limit for the evaluation.") var fuel: UInt64 = Limits().fuel
    @Option(help: "Memory limit for values built during the evaluation, in bytes.") var memory: Int = Limits().memory
    @Argument(help: "The expression.") var expression: String

    func run() throws {
        var declared = try declarations.parsed()
        var bytes: [UInt8] = []
        if let input { bytes = Array(input.utf8) }
        if let inputFile {
            do { bytes = try readFile(inputFile) } catch {
                printError("error: \(error)")
                throw ExitCodes.inputError
            }
        }
        var bindings: [String: CELValue] = [:]
        if !bytes.isEmpty {
            do {
                bindings = try JSONInput.bindings(bytes, declarations: declared)
            } catch {
                printError("error: \(error)")
                throw ExitCodes.inputError
            }
        }
        for name in bindings.keys where declared[name] == nil { declared[name] = .dyn }
        let environment = Environment(variables: declared, limits: Limits(fuel: fuel, memory: memory))
        let program: Program
        do {
            program = try compile(expression, in: environment)
        } catch {
            printError(error.rendered())
            throw ExitCodes.compileError
        }
        let evaluation = program.evaluate(bindings)
        switch evaluation.result {
        case .success(let value):
            print(value.jsonText)
        case .failure(let error):
            printError("error: \(error)" + (evaluation.failureLocation(in: expression).map { " (\($0))" } ?? ""))
            throw error.isResourceLimit ? ExitCodes.resourceLimit : ExitCodes.evaluationError
        }
    }
}
