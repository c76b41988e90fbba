import ArgumentParser
import Spectral

struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a source file to a verified bytecode module."
    )

    @OptionGroup var declarations: DeclarationOptions
    @Argument(help: "File holding the expression.") var source: String
    @Option(name: .short, help: ArgumentHelp("Where to write the module.", valueName: "module")) var output: String

    func run() throws {
        let text: String
        do {
            text = String(decoding: try readFile(source), as: UTF8.self)
        } catch {
            printError("error: \(error)")
            throw ExitCodes.compileError
        }
        do {
            let program = try compile(text, in: Environment(declared: try declarations.declared()))
            let bytes = program.encoded
            try writeFile(output, bytes)
            print("wrote \(output): \(bytes.count) bytes, \(program.module.code.count) instructions")
        } catch let error as CompileFailure {
            printError(error.rendered())
            throw ExitCodes.compileError
        }
    }
}
