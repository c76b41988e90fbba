import SpectralBytecode
import SpectralCompiler
import SpectralSyntax
import Testing

/// What the code generator emits: typed opcodes where types are proven, folded constant
/// aggregates, fuel at every block head, a verifiable module, and a static cost bound.
@Suite struct CodeGeneratorTests {
    func module(_ source: String, _ variables: [String: CELType] = [:], checked: Bool = true) throws -> Module {
        let expr = try Parser.parse(source)
        let declarations = Declarations(variables: variables)
        let checkedExpr = checked ? try Checker.check(expr, declarations: declarations)
                                  : Checker.resolveOnly(expr, declarations: declarations)
        return try CodeGenerator.generate(checkedExpr)
    }

    func opcodes(_ module: Module) -> [Opcode] { module.code.map(\.opcode) }

    @Test func typedOpcodesWhenTypesAreProven() throws {
        let typed = try module("x + 1 < 10", ["x": .int])
        #expect(opcodes(typed).contains(.addInt))
        #expect(opcodes(typed).contains(.ltInt))
        // With a `dyn` operand the operator dispatches on the values at run time.
        let dynamic = try module("x < 10 && x + y > 0", ["x": .dyn, "y": .dyn])
        #expect(opcodes(dynamic).contains(.lt))
        #expect(opcodes(dynamic).contains(.add))
        #expect(!opcodes(dynamic).contains(.addInt))
    }

    @Test func literalAggregatesAreFoldedIntoConstants() throws {
        let m = try module("x in ['US', 'CA', 'GB']", ["x": .string])
        #expect(!opcodes(m).contains(.makeList))
        #expect(m.constants.contains { if case .list(let items) = $0 { return items.count == 3 }; return false })
        let computed = try module("[x, 'CA']", ["x": .string])
        #expect(opcodes(computed).contains(.makeList))
    }

    @Test func constantPatternsUseMatchConst() throws {
        let m = try module("s.matches('^a+$')", ["s": .string])
        #expect(opcodes(m).contains(.matchConst))
        #expect(!opcodes(m).contains(.call))
        #expect(throws: CompileError.self) { try module("s.matches('(a')", ["s": .string]) }
    }

    @Test func mapAndFilterAppendToAFreshAccumulator() throws {
        let m = try module("[1, 2, 3].filter(x, x > 1)")
        #expect(opcodes(m).contains(.appendList))
        // The accumulator starts as a list built by the loop, never the folded constant `[]`.
        #expect(opcodes(m).contains(.makeList))
    }

    @Test func loopsTakeNoJumpThatCouldNeverBeTaken() throws {
        let list: [String: CELType] = ["l": .list(.int)]
        // The loop condition exits on a false (`all`) or true (`exists`) accumulator, so
        // the step's `&&` / `||` does not test it again.
        let all = try module("l.all(x, x > 0)", list)
        #expect(all.code.filter { $0.opcode == .jumpIfFalse }.count == 1)
        let exists = try module("l.exists(x, x > 0)", list)
        #expect(exists.code.filter { $0.opcode == .jumpIfTrue }.count == 1)
        // `filter` goes from a kept or a skipped element straight back to the loop head,
        // not through a block that only jumps on.
        let filter = try module("l.filter(x, x > 0)", list)
        try Verifier.verify(filter)
        let targets = filter.code.flatMap { instruction -> [UInt32] in
            switch instruction.opcode {
            case .jump: return [instruction.b]
            case .branch: return [instruction.b, instruction.c]
            default: return []
            }
        }
        #expect(targets.count >= 3)
        for target in targets.map(Int.init) {
            #expect(filter.code[target].opcode == .fuel)
            #expect(filter.code[target + 1].opcode != .jump, "instruction \(target) only jumps on")
        }
    }

    @Test(arguments: ["a && b || !c", "x > 1 ? 'big' : 'small'", "[1, 2].all(i, i > 0)",
                      "{'a': [1, 2]}.a.exists(v, v == 2)", "size(s) + 1", "[1].map(x, [2].map(y, x + y))"])
    func everyModuleVerifiesAndStartsBlocksWithFuel(_ source: String) throws {
        let m = try module(source, ["a": .bool, "b": .bool, "c": .bool, "x": .int, "s": .string])
        try Verifier.verify(m)
        #expect(m.code.first?.opcode == .fuel)
        #expect(m.code.allSatisfy { $0.opcode != .fuel || $0.b >= 1 })
        #expect(m.spans.count == m.code.count)
    }

    @Test func uncheckedCompilationUsesDynamicOperations() throws {
        let m = try module("1 + 1.0", checked: false)
        #expect(opcodes(m).contains(.add))
        try Verifier.verify(m)
    }

    @Test func twoVariableLoopsUseIterNext2AndInsertInPlace() throws {
        let m = try module("m.transformMap(k, v, v > 0, v + 1)", ["m": .map(.string, .int)])
        try Verifier.verify(m)
        #expect(opcodes(m).contains(.iterNext2))
        #expect(opcodes(m).contains(.insertMap))
        #expect(m.costBound == UInt64.max)
        let entries = try module("m.transformMapEntry(k, v, {v: k})", ["m": .map(.string, .int)])
        try Verifier.verify(entries)
        #expect(opcodes(entries).contains(.call))
        let bound = try module("cel.bind(x, 1, x + x)")
        #expect(!opcodes(bound).contains(.iterInit))
    }

    @Test func staticCostBound() throws {
        let straight = try module("x > 1 && x < 10", ["x": .int])
        let fuel = straight.code.filter { $0.opcode == .fuel }.reduce(UInt64(0)) { $0 + UInt64($1.b) }
        #expect(straight.costBound == fuel)
        #expect(straight.costBound > 0)
        let loop = try module("l.all(i, i > 0)", ["l": .list(.int)])
        #expect(loop.costBound == UInt64.max)
    }
}
