/// Decides whether a module is safe to run by an interpreter that does no checks of
/// its own: after `verify` returns, every register, table index and jump target the
/// code uses is in range, every loop pays fuel, control cannot run off the end, and no
/// register is read before this evaluation wrote it (so no value can leak from a
/// previous evaluation that reused the register file).
///
/// Checks run in two passes: per-instruction structural checks (which make the
/// control-flow graph well-defined), then a definite-assignment dataflow over basic
/// blocks. The dataflow is a forward "must" analysis with one bitset of assigned
/// registers per block; it costs O(blocks × registerCount / 64) memory and a few
/// passes over the code in practice.
public enum Verifier {
    public static func verify(_ module: Module) throws(VerificationError) {
        try checkModule(module)
        for index in module.code.indices {
            try checkInstruction(at: index, in: module)
        }
        if let last = module.code.last, last.opcode.fallsThrough {
            throw VerificationError(instruction: module.code.count - 1, opcode: last.opcode, rule: .fallsOffEnd,
                                    message: "the last instruction falls through past the end of the code")
        }
        try DefiniteAssignment(module).check()
    }

    private static func checkModule(_ module: Module) throws(VerificationError) {
        // registerCount is a UInt16, so the upper bound of 65535 holds by type.
        guard module.registerCount >= 1 else {
            throw VerificationError(instruction: nil, opcode: nil, rule: .registerCount,
                                    message: "register count is 0")
        }
        guard let first = module.code.first else {
            throw VerificationError(instruction: nil, opcode: nil, rule: .emptyCode, message: "the code is empty")
        }
        guard module.spans.count == module.code.count else {
            throw VerificationError(instruction: nil, opcode: nil, rule: .spanCount,
                                    message: "\(module.spans.count) spans for \(module.code.count) instructions")
        }
        guard first.opcode == .fuel else {
            throw VerificationError(instruction: 0, opcode: first.opcode, rule: .entryNotFuel,
                                    message: "the first instruction must be fuel")
        }
        try checkDeclarations(module)
        for (i, constant) in module.constants.enumerated() {
            let elements: [UInt32]
            switch constant {
            case .list(let indices): elements = indices
            case .map(let indices):
                guard indices.count % 2 == 0 else {
                    throw VerificationError(instruction: nil, opcode: nil, rule: .compositeConstant,
                                            message: "map constant k\(i) has an odd number of entries")
                }
                elements = indices
            default: continue
            }
            // Only earlier entries: the pool is built front to back and can hold no cycle.
            if let bad = elements.first(where: { Int($0) >= i }) {
                throw VerificationError(instruction: nil, opcode: nil, rule: .compositeConstant,
                                        message: "constant k\(i) refers to k\(bad), which is not earlier")
            }
        }
    }

    /// One declared type per variable slot, each within the depth the decoder reads.
    private static func checkDeclarations(_ module: Module) throws(VerificationError) {
        guard module.declarations.count == module.variables.count else {
            throw VerificationError(instruction: nil, opcode: nil, rule: .declarationCount,
                                    message: "\(module.declarations.count) declarations for \(module.variables.count) variables")
        }
        for (slot, type) in module.declarations.enumerated() where type.depth > DeclaredType.maxDepth {
            throw VerificationError(instruction: nil, opcode: nil, rule: .declarationTooDeep,
                                    message: "the declared type of variable \(slot) nests deeper than \(DeclaredType.maxDepth) levels")
        }
        for (slot, type) in module.declarations.enumerated() {
            guard case .schema(let schema) = type else { continue }
            if let problem = schema.problem() {
                throw VerificationError(instruction: nil, opcode: nil, rule: .declaredSchema,
                                        message: "the schema of variable \(slot): \(problem)")
            }
        }
    }

    private static func checkInstruction(at index: Int, in module: Module) throws(VerificationError) {
        let ins = module.code[index]
        let op = ins.opcode
        func fail(_ rule: VerificationError.Rule, _ message: String) -> VerificationError {
            VerificationError(instruction: index, opcode: op, rule: rule, message: message)
        }

        // The fields are public vars, so a hand-built module can bypass the initializer.
        guard ins.b <= Instruction.maxWideOperand, ins.c <= Instruction.maxWideOperand else {
            throw fail(.operandTooWide, "operand b or c exceeds \(Instruction.maxWideOperand)")
        }

        let registers = Int(module.registerCount)
        let kinds = op.operands
        let operands: [(field: String, kind: OperandKind, value: Int)] = [
            ("a", kinds.a, Int(ins.a)), ("b", kinds.b, Int(ins.b)), ("c", kinds.c, Int(ins.c)),
        ]
        for (field, kind, value) in operands {
            switch kind {
            case .unused:
                guard value == 0 else { throw fail(.nonzeroUnusedOperand, "unused operand \(field) is \(value), not 0") }
            case .read, .write:
                // Range starts are checked with their range below (an empty range may
                // start at registerCount).
                if isRangeStart(op, field) { continue }
                guard value < registers else {
                    throw fail(.registerOutOfRange, "register r\(value) (operand \(field)) is outside r0..<r\(registers)")
                }
            case .iterator:
                guard value + 1 < registers else {
                    throw fail(.registerOutOfRange, "iterator pair r\(value), r\(value + 1) is outside r0..<r\(registers)")
                }
            case .constant:
                guard value < module.constants.count else {
                    throw fail(.indexOutOfRange, "constant k\(value) is outside the pool of \(module.constants.count)")
                }
            case .variable:
                guard value < module.variables.count else {
                    throw fail(.indexOutOfRange, "variable \(value) is outside the \(module.variables.count) variables")
                }
            case .name:
                guard value < module.names.count else {
                    throw fail(.indexOutOfRange, "name \(value) is outside the \(module.names.count) names")
                }
            case .function:
                guard value < module.functions.count else {
                    throw fail(.indexOutOfRange, "function \(value) is outside the \(module.functions.count) functions")
                }
            case .target:
                guard value < module.code.count else {
                    throw fail(.targetOutOfRange, "jump target @\(value) is outside the \(module.code.count) instructions")
                }
                guard module.code[value].opcode == .fuel else {
                    throw fail(.targetNotFuel, "jump target @\(value) is not a fuel instruction")
                }
            case .count:
                break  // checked with its range below
            case .units:
                guard value >= 1 else { throw fail(.zeroFuel, "fuel charges 0 units") }
            }
        }

        // Opcode-specific rules. Operands are at most 20 bits, so these sums cannot overflow.
        switch op {
        case .makeList, .makeMap:
            let width = op == .makeMap ? 2 * Int(ins.c) : Int(ins.c)
            guard Int(ins.b) + width <= registers else {
                throw fail(.registerOutOfRange, "register range r\(ins.b)..<r\(Int(ins.b) + width) is outside r0..<r\(registers)")
            }
        case .call:
            let arity = Int(module.functions[Int(ins.b)].arity)  // index checked above
            guard Int(ins.c) + arity <= registers else {
                throw fail(.registerOutOfRange, "argument registers r\(ins.c)..<r\(Int(ins.c) + arity) are outside r0..<r\(registers)")
            }
        case .iterNext2:
            guard Int(ins.b) + 1 < registers else {
                throw fail(.registerOutOfRange, "register pair r\(ins.b), r\(Int(ins.b) + 1) is outside r0..<r\(registers)")
            }
        case .matchConst:
            guard case .string = module.constants[Int(ins.c)] else {
                throw fail(.constantNotString, "the pattern k\(ins.c) is not a string constant")
            }
        default:
            break
        }
    }

    /// The read operand that starts a register range rather than naming one register.
    static func isRangeStart(_ op: Opcode, _ field: String) -> Bool {
        switch op {
        case .makeList, .makeMap: return field == "b"
        case .call: return field == "c"
        default: return false
        }
    }
}
