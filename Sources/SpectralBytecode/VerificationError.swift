/// Why `Verifier.verify` rejected a module: the rule broken, where, and in words.
public struct VerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The verifier's rules, one case each, so callers and tests need not parse text.
    public enum Rule: Sendable, Equatable {
        /// `registerCount` is 0 (at least one register is needed to return a value).
        case registerCount
        case emptyCode
        /// The first instruction is not `fuel`, so evaluation could start without paying.
        case entryNotFuel
        /// `spans.count != code.count`.
        case spanCount
        /// An operand wider than the 20 bits the packed form holds.
        case operandTooWide
        /// An operand the opcode does not use is not zero.
        case nonzeroUnusedOperand
        /// A register, iterator pair or register range outside `0..<registerCount`.
        case registerOutOfRange
        /// A constant, variable, name or function index outside its table.
        case indexOutOfRange
        /// `matchConst` names a constant that is not a string.
        case constantNotString
        /// A list or map constant refers to itself or a later entry, or a map has an odd count.
        case compositeConstant
        case targetOutOfRange
        /// A jump target that is not a `fuel` instruction (loops must pay per iteration).
        case targetNotFuel
        /// `fuel` charging 0 units.
        case zeroFuel
        /// The last instruction can fall through past the end of the code.
        case fallsOffEnd
        /// A register may be read, on some path, before anything wrote it.
        case readBeforeWrite
        /// `declarations.count != variables.count`: a variable would bind without its
        /// declared type, or a declaration would belong to no variable.
        case declarationCount
        /// A declared type nested deeper than `DeclaredType.maxDepth`, which the
        /// decoder would reject (every verified module must decode after encoding).
        case declarationTooDeep
        /// A declared JSON Schema the binder could not apply as written: a constraint on a
        /// kind it does not constrain, a non-scalar or ill-typed `enum` value, a bound that
        /// is not finite or a minimum above the maximum, fields not sorted or repeated.
        case declaredSchema
    }

    /// Index of the offending instruction; nil for module-level problems.
    public var instruction: Int?
    public var opcode: Opcode?
    public var rule: Rule
    public var message: String

    public init(instruction: Int?, opcode: Opcode?, rule: Rule, message: String) {
        self.instruction = instruction
        self.opcode = opcode
        self.rule = rule
        self.message = message
    }

    public var description: String {
        guard let instruction else { return "invalid module: \(message)" }
        let name = opcode.map { " (\($0.mnemonic))" } ?? ""
        return "invalid instruction \(instruction)\(name): \(message)"
    }
}
