import ArgumentParser
import Spectral
import SpectralJSON

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate an expression and print the result as JSON.",
        discussion: """
        Exit status: 0 with a result, 1 for an evaluation error or an input that does not fit \
        the declarations (named by JSON pointer for a schema, as decide names them), 2 for a \
        parse or check error, 3 when fuel or memory ran out. Input variables not declared with \
        --declare are declared as dyn.
        """
    )

    @Option(help: "Input bindings as a JSON object.") var input: String?
    @Option(help: "Read the input bindings from a JSON file.") var inputFile: String?
    @OptionGroup var declarations: DeclarationOptions
    @Option(help: "Fuel limit for the evaluation.") var fuel: UInt64 = Limits().fuel
    @Option(help: "Memory limit for values built during the evaluation, in bytes.") var memory: Int = Limits().memory
    @Argument(help: "The expression.") var expression: String

    func run() throws {
        var declared = try declarations.declared()
        var bytes: [UInt8] = []
        if let input { bytes = Array(input.utf8) }
        if let inputFile {
            do { bytes = try readFile(inputFile) } catch {
                printError("error: \(error)")
                throw ExitCodes.inputError
            }
        }
        if !bytes.isEmpty {
            do {
                for name in try Self.variableNames(bytes) where declared[name] == nil { declared[name] = InputDeclaration(type: .dyn) }
            } catch {
                printError("error: \(error)")
                throw ExitCodes.inputError
            }
        }
        let environment = Environment(declared: declared, limits: Limits(fuel: fuel, memory: memory))
        let program: Program
        do {
            program = try compile(expression, in: environment)
        } catch {
            printError(error.rendered())
            throw ExitCodes.compileError
        }
        // Bound as the decide path binds (`Program.evaluate(json:)`, the schema binder for
        // schema declarations), so a wrong input gets the same JSON-pointer messages here.
        let evaluation = bytes.isEmpty ? program.evaluate() : program.evaluate(json: bytes)
        switch evaluation.result {
        case .success(let value):
            print(value.jsonText)
        case .failure(.input(let message)):
            printError("error: input does not fit the declarations: \(message)")
            throw ExitCodes.inputError
        case .failure(let error):
            printError("error: \(error)" + (evaluation.failureLocation(in: expression).map { " (\($0))" } ?? ""))
            throw error.isResourceLimit ? ExitCodes.resourceLimit : ExitCodes.evaluationError
        }
    }

    /// The variables an input object binds, for declaring the undeclared ones `dyn`.
    static func variableNames(_ bytes: [UInt8]) throws -> [String] {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw InputError(description: "malformed JSON input: \(error)")
        }
        guard let members = document.objectValue else {
            throw InputError(description: "input must be a JSON object of variable bindings")
        }
        return members.map(\.0)
    }

    struct InputError: Error, CustomStringConvertible {
        var description: String
    }
}
