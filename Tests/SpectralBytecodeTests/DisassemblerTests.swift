import Testing
@testable import SpectralBytecode

@Suite struct DisassemblerTests {
    @Test func smallModuleListing() {
        let m = Module(
            constants: [.string("hello"), .double(-0.0), .bytes([0, 0x41])],
            names: ["name"], variables: ["user"],
            functions: [FunctionRef(name: "size", arity: 1, receiver: true)],
            registerCount: 3,
            code: [
                Instruction(.fuel, b: 2),
                Instruction(.loadVar, a: 0, b: 0),
                Instruction(.select, a: 1, b: 0, c: 0),
                Instruction(.call, a: 2, b: 0, c: 1),
                Instruction(.jumpIfTrue, a: 2, b: 0),
                Instruction(.loadConst, a: 2, b: 0),
                Instruction(.ret, a: 2),
            ],
            spans: [SourceRange(start: 0, end: 9), SourceRange(start: 0, end: 4), SourceRange(start: 0, end: 9),
                    SourceRange(start: 0, end: 15), .unknown, SourceRange(start: 16, end: 23), .unknown],
            costBound: 12)
        let text = Disassembler.disassemble(m)
        for expected in [
            "format version 4", "registers: 3", "cost bound: 12",
            "k0 = \"hello\"", "k1 = -0.0", "k2 = b\"\\x00A\"",
            "n0 = .name", "v0 = user: dyn", "f0 = size/1 (receiver)",
            "0  fuel", "loadVar         r0, var user", "select          r1, r0, .name",
            "call            r2, fn size/1, r1", "jumpIfTrue      r2, @0",
            "loadConst       r2, k0 \"hello\"", "ret             r2",
            "; 0..15", "; 16..23", "; ?",
        ] {
            #expect(text.contains(expected), "missing \(expected) in\n\(text)")
        }
        #expect(text.split(separator: "\n").count == 2 + 4 + 2 + 2 + 2 + 1 + 7)
    }

    @Test func rendersEveryOpcodeAndUnboundedCost() {
        let text = Disassembler.disassemble(Fixtures.everyOpcode)
        #expect(text.contains("cost bound: unbounded"))
        #expect(text.contains("iterInit        r8:r9, r6, @"))
        #expect(text.contains("nan(0x7ff8deadbeef0001)"))
        #expect(text.contains("\"héllo ✓ 𝄞 \\u{0}\""))
        for op in Opcode.allCases { #expect(text.contains(" \(op.mnemonic) ")) }
    }

    @Test func survivesInvalidIndices() {
        let m = Module(registerCount: 1, code: [Instruction(.loadConst, a: 0, b: 7), Instruction(.call, a: 0, b: 3)])
        let text = Disassembler.disassemble(m)
        #expect(text.contains("k7 <invalid>"))
        #expect(text.contains("fn <invalid 3>"))
    }
}
