import SpectralBytecode
import SpectralRegex

/// A verified module prepared for execution: packed code, each called function bound
/// once to library implementations (`Library.resolve`: its one overload, a dispatch among
/// its candidates, or, without overload ids, its name's), constant regular expressions
/// compiled once. Immutable and shareable; each evaluation runs it in a `Machine`.
public struct Executable: Sendable {
    public let module: Module
    let code: [UInt64]
    let functions: [Builtin]
    /// Compiled patterns for `matchConst`, by constant index.
    let patterns: [Pattern?]
    /// How JSON input binds to each variable (`InputShape.shapes(of:)`).
    public let inputShapes: [String: InputShape]
    /// The same by variable slot (`Module.variables`).
    let slotShapes: [InputShape]
    /// The schemas among them, flattened for the binder, their objects laid out.
    let schemaPlan: SchemaPlan
    /// Declared fields by slot, for `select` and `has` on maps bound by schema.
    let fieldLayouts: FieldLayouts

    /// Verifies `module` and prepares it. A module that fails verification never runs.
    public init(verifying module: Module) throws(LoadError) {
        do {
            try Verifier.verify(module)
        } catch {
            throw LoadError.verification(error)
        }
        var patterns = [Pattern?](repeating: nil, count: module.constants.count)
        var patternBytes = 0
        for instruction in module.code where instruction.opcode == .matchConst {
            let index = Int(instruction.c)
            guard patterns[index] == nil, case .string(let text) = module.constants[index] else { continue }
            do {
                patterns[index] = try Pattern(text)
            } catch {
                throw LoadError.invalidPattern(text, error.description)
            }
            // Checked as each pattern is built, so an oversized module stops early.
            patternBytes += patterns[index]!.residentBytes
            if patternBytes > RegexCost.maxPatternBytesPerProgram {
                throw LoadError.tooLarge("its regular expressions need more than \(RegexCost.maxPatternBytesPerProgram) bytes compiled")
            }
        }
        self.module = module
        self.code = module.code.map(\.packed)
        self.functions = module.functions.map(Library.resolve)
        self.patterns = patterns
        let inputShapes = InputShape.shapes(of: module)
        self.inputShapes = inputShapes
        self.slotShapes = module.variables.map { inputShapes[$0] ?? .dyn }
        self.schemaPlan = SchemaPlan(inputShapes, variables: module.variables, nameCount: module.names.count)
        self.fieldLayouts = FieldLayouts(layouts: schemaPlan.layouts, names: module.names)
    }
}

public enum LoadError: Error, Sendable, CustomStringConvertible {
    case verification(VerificationError)
    case invalidPattern(String, String)
    /// The program would hold more than a program may (`RegexCost.maxPatternBytesPerProgram`).
    case tooLarge(String)

    public var description: String {
        switch self {
        case .verification(let error): return "invalid bytecode: \(error)"
        case .invalidPattern(let pattern, let message): return "invalid regular expression '\(pattern)': \(message)"
        case .tooLarge(let message): return "program too large: \(message)"
        }
    }
}
