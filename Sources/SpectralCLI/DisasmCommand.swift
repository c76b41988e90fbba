import ArgumentParser
import Spectral

struct DisasmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disasm",
        abstract: "Decode, verify and print a bytecode module."
    )

    @Argument(help: "The module file.") var module: String

    func run() throws {
        let bytes: [UInt8]
        do { bytes = try readFile(module) } catch {
            printError("error: \(error)")
            throw ExitCodes.compileError
        }
        do {
            let program = try Program(bytes: bytes)
            print(Disassembler.disassemble(program.module), terminator: "")
        } catch {
            printError("error: \(error)")
            throw ExitCodes.compileError
        }
    }
}
