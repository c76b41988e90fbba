import Testing
@testable import SpectralBytecode

/// One test per verifier rule, each asserting the rule and the instruction it blames.
@Suite struct VerifierTests {
    /// A module around `code` with spans filled in and generous tables.
    func module(_ code: [Instruction], registers: UInt16 = 4) -> Module {
        Module(constants: [.string("a+"), .int(7)], names: ["f"], variables: ["x"],
               functions: [FunctionRef(name: "size", arity: 2, receiver: false)],
               registerCount: registers, code: code,
               spans: Array(repeating: .unknown, count: code.count), costBound: 10)
    }

    func expectRejected(_ m: Module, _ rule: VerificationError.Rule, at instruction: Int?,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try Verifier.verify(m)
            Issue.record("accepted, expected \(rule)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.rule == rule, "\(error)", sourceLocation: sourceLocation)
            #expect(error.instruction == instruction, "\(error)", sourceLocation: sourceLocation)
            if let instruction {
                #expect(error.opcode == m.code[instruction].opcode, sourceLocation: sourceLocation)
            }
        }
    }

    let f = Instruction(.fuel, b: 1)
    func k(_ r: UInt16, _ c: UInt32 = 1) -> Instruction { Instruction(.loadConst, a: r, b: c) }
    func ret(_ r: UInt16) -> Instruction { Instruction(.ret, a: r) }

    @Test func acceptsValidModules() throws {
        try Verifier.verify(Fixtures.everyOpcode)
        try Verifier.verify(Fixtures.small)
        try Verifier.verify(Fixtures.minimal)
        try Verifier.verify(module([f, k(0), ret(0)]))
    }

    @Test func registerCountAtLeastOne() {
        expectRejected(module([f, ret(0)], registers: 0), .registerCount, at: nil)
    }

    @Test func codeNotEmpty() {
        expectRejected(module([]), .emptyCode, at: nil)
    }

    @Test func spansMatchCode() {
        var m = module([f, k(0), ret(0)])
        m.spans.removeLast()
        expectRejected(m, .spanCount, at: nil)
    }

    @Test func entryIsFuel() {
        expectRejected(module([k(0), ret(0)]), .entryNotFuel, at: 0)
    }

    @Test func fuelChargesAtLeastOneUnit() {
        expectRejected(module([f, k(0), Instruction(.fuel, b: 0), ret(0)]), .zeroFuel, at: 2)
    }

    @Test func registersInRange() {
        expectRejected(module([f, k(4), ret(0)]), .registerOutOfRange, at: 1)                 // write
        expectRejected(module([f, k(0), ret(9)]), .registerOutOfRange, at: 2)                 // read
        expectRejected(module([f, k(0), Instruction(.add, a: 1, b: 0, c: 4), ret(1)]), .registerOutOfRange, at: 2)
    }

    @Test func iteratorPairInRange() {
        // a = 3 needs r3 and r4 with 4 registers: r4 is out.
        expectRejected(module([f, k(0), Instruction(.iterInit, a: 3, b: 0, c: 0), ret(0)]), .registerOutOfRange, at: 2)
    }

    @Test func makeListRangeInRange() {
        expectRejected(module([f, k(0), Instruction(.makeList, a: 0, b: 2, c: 3), ret(0)]), .registerOutOfRange, at: 2)
        // An empty list may start at registerCount: the range is empty.
        expectRejected(module([f, Instruction(.makeList, a: 0, b: 4, c: 1), ret(0)]), .registerOutOfRange, at: 1)
    }

    @Test func makeMapRangeCoversTwoRegistersPerEntry() {
        // b = 1, c = 2 pairs: r1..<r5, one past the 4 registers.
        expectRejected(module([f, k(0), k(1), k(2), k(3), Instruction(.makeMap, a: 0, b: 1, c: 2), ret(0)]),
                       .registerOutOfRange, at: 5)
    }

    @Test func callArgumentsInRange() {
        // size/2 with arguments from r3: r3, r4.
        expectRejected(module([f, k(3), Instruction(.call, a: 0, b: 0, c: 3), ret(0)]), .registerOutOfRange, at: 2)
    }

    @Test func tableIndicesInRange() {
        expectRejected(module([f, k(0, 2), ret(0)]), .indexOutOfRange, at: 1)
        expectRejected(module([f, Instruction(.loadVar, a: 0, b: 1), ret(0)]), .indexOutOfRange, at: 1)
        expectRejected(module([f, k(0), Instruction(.select, a: 1, b: 0, c: 1), ret(1)]), .indexOutOfRange, at: 2)
        expectRejected(module([f, k(0), k(1), Instruction(.call, a: 0, b: 1, c: 0), ret(0)]), .indexOutOfRange, at: 3)
        expectRejected(module([f, k(0), Instruction(.matchConst, a: 1, b: 0, c: 5), ret(1)]), .indexOutOfRange, at: 2)
    }

    @Test func matchConstPatternIsString() {
        expectRejected(module([f, k(0), Instruction(.matchConst, a: 1, b: 0, c: 1), ret(1)]), .constantNotString, at: 2)
    }

    @Test func jumpTargetsInRange() {
        expectRejected(module([f, Instruction(.jump, b: 4), k(0), ret(0)]), .targetOutOfRange, at: 1)
        expectRejected(module([f, k(0), Instruction(.branch, a: 0, b: 0, c: 99), ret(0)]), .targetOutOfRange, at: 2)
    }

    @Test func jumpTargetsLandOnFuel() {
        expectRejected(module([f, k(0), Instruction(.jumpIfTrue, a: 0, b: 3), ret(0)]), .targetNotFuel, at: 2)
        expectRejected(module([f, k(0), Instruction(.iterInit, a: 1, b: 0, c: 1), ret(0)]), .targetNotFuel, at: 2)
    }

    @Test func lastInstructionDoesNotFallThrough() {
        expectRejected(module([f, k(0)]), .fallsOffEnd, at: 1)
        expectRejected(module([f, k(0), ret(0), f]), .fallsOffEnd, at: 3)
        // jump is a fine last instruction (an infinite loop that pays fuel).
        #expect(throws: Never.self) { try Verifier.verify(module([f, Instruction(.jump, b: 0)])) }
    }

    @Test func unusedOperandsAreZero() {
        expectRejected(module([f, k(0), Instruction(.ret, a: 0, b: 1)]), .nonzeroUnusedOperand, at: 2)
        expectRejected(module([Instruction(.fuel, a: 1, b: 1), k(0), ret(0)]), .nonzeroUnusedOperand, at: 0)
        expectRejected(module([f, Instruction(.loadConst, a: 0, b: 0, c: 1), ret(0)]), .nonzeroUnusedOperand, at: 1)
    }

    @Test func operandsFitTwentyBits() {
        var wide = Instruction(.jump)
        wide.b = Instruction.maxWideOperand + 1   // bypasses the initializer's precondition
        expectRejected(module([f, wide]), .operandTooWide, at: 1)
    }

    // MARK: Definite assignment

    @Test func readOfNeverWrittenRegister() {
        expectRejected(module([f, ret(0)]), .readBeforeWrite, at: 1)
        expectRejected(module([f, k(0), Instruction(.add, a: 1, b: 0, c: 2), ret(1)]), .readBeforeWrite, at: 2)
    }

    @Test func writeOnOnlyOnePathIsNotEnough() {
        // if r0 { r1 = k } ; return r1  -- r1 unassigned when the jump is taken.
        let code = [f, k(0), Instruction(.jumpIfFalse, a: 0, b: 4), k(1), f, ret(1)]
        expectRejected(module(code), .readBeforeWrite, at: 5)
        // Writing on both paths is fine.
        let both = [f, k(0), Instruction(.jumpIfFalse, a: 0, b: 5), k(1), Instruction(.jump, b: 7),
                    f, k(1), f, ret(1)]
        #expect(throws: Never.self) { try Verifier.verify(module(both)) }
    }

    @Test func branchAndAppendListReadTheirFirstOperand() {
        expectRejected(module([f, Instruction(.branch, a: 0, b: 0, c: 0), ret(0)]), .readBeforeWrite, at: 1)
        expectRejected(module([f, k(1), Instruction(.appendList, a: 0, b: 1), ret(0)]), .readBeforeWrite, at: 2)
    }

    @Test func callReadsItsArguments() {
        // size/2 reads r1 and r2; only r1 is written.
        expectRejected(module([f, k(1), Instruction(.call, a: 0, b: 0, c: 1), ret(0)]), .readBeforeWrite, at: 2)
        #expect(throws: Never.self) {
            try Verifier.verify(module([f, k(1), k(2), Instruction(.call, a: 0, b: 0, c: 1), ret(0)]))
        }
    }

    @Test func makeListAndMakeMapReadTheirRanges() {
        expectRejected(module([f, k(0), Instruction(.makeList, a: 3, b: 0, c: 2), ret(3)]), .readBeforeWrite, at: 2)
        expectRejected(module([f, k(0), k(1), k(2), Instruction(.makeMap, a: 3, b: 0, c: 2), ret(3)]),
                       .readBeforeWrite, at: 4)
        // An empty list reads nothing.
        #expect(throws: Never.self) { try Verifier.verify(module([f, Instruction(.makeList, a: 0), ret(0)])) }
    }

    /// A comprehension: r0 list, r1:r2 iterator, r3 element.
    func loop(after: [Instruction]) -> Module {
        let code = [f, k(0), Instruction(.makeList, a: 0, b: 0, c: 1),
                    Instruction(.iterInit, a: 1, b: 0, c: 6),
                    f,                                            // 4: loop head
                    Instruction(.iterNext, a: 1, b: 3, c: 6),
                    f] + after                                    // 6: done
        return module(code)
    }

    @Test func iteratorLoopIsAccepted() throws {
        // After the loop the iterator pair is assigned (iterInit writes it on both edges).
        try Verifier.verify(loop(after: [Instruction(.move, a: 3, b: 2), ret(3)]))
        try Verifier.verify(loop(after: [ret(1)]))
    }

    @Test func iterNextElementIsUnassignedWhenDone() {
        // r3 is written only when iterNext does not jump to `done`.
        expectRejected(loop(after: [ret(3)]), .readBeforeWrite, at: 7)
    }

    @Test func iterNextReadsTheIterator() {
        expectRejected(module([f, Instruction(.iterNext, a: 1, b: 3, c: 0), ret(3)]), .readBeforeWrite, at: 1)
    }

    @Test func loopBodyWriteDoesNotCountBeforeTheLoop() {
        // head: fuel; iterNext; r3 read in the body before the body writes it on a later iteration.
        let body = [f, k(0), Instruction(.makeList, a: 0, b: 0, c: 1),
                    Instruction(.iterInit, a: 1, b: 0, c: 9),
                    f,                                            // 4
                    Instruction(.iterNext, a: 1, b: 3, c: 9),
                    Instruction(.add, a: 0, b: 0, c: 3),          // fine: r3 from iterNext
                    Instruction(.move, a: 0, b: 2),               // fine: r2 from iterInit
                    Instruction(.jump, b: 4),
                    f, ret(0)]
        #expect(throws: Never.self) { try Verifier.verify(module(body)) }
    }

    /// A two-variable loop: r0 list, r1:r2 iterator, r3:r4 (index, element) from iterNext2.
    func loop2(after: [Instruction], body: [Instruction] = [], registers: UInt16 = 5, pair: UInt32 = 3) -> Module {
        let done = UInt32(7 + body.count)
        let code = [f, k(0), Instruction(.makeList, a: 0, b: 0, c: 1),
                    Instruction(.iterInit, a: 1, b: 0, c: done),
                    f,                                            // 4: loop head
                    Instruction(.iterNext2, a: 1, b: pair, c: done)]
            + body + [Instruction(.jump, b: 4), f] + after        // done
        return module(code, registers: registers)
    }

    @Test func iterNext2WritesBothRegistersInTheBody() throws {
        try Verifier.verify(loop2(after: [ret(0)], body: [Instruction(.add, a: 0, b: 3, c: 4)]))
    }

    @Test func iterNext2PairIsUnassignedWhenDone() {
        expectRejected(loop2(after: [ret(4)]), .readBeforeWrite, at: 8)
        expectRejected(loop2(after: [ret(3)]), .readBeforeWrite, at: 8)
    }

    @Test func iterNext2PairMustFitTheRegisters() {
        // b = r4 is in range, but its partner r5 is not.
        expectRejected(loop2(after: [ret(0)], pair: 4), .registerOutOfRange, at: 5)
    }

    @Test func iterNext2ReadsTheIterator() {
        expectRejected(module([f, Instruction(.iterNext2, a: 1, b: 2, c: 0), ret(2)]), .readBeforeWrite, at: 1)
    }

    @Test func insertMapReadsTheMapItUpdates() {
        expectRejected(module([f, k(0), k(1, 1), Instruction(.insertMap, a: 2, b: 0, c: 1), ret(2)]),
                       .readBeforeWrite, at: 3)
        #expect(throws: Never.self) {
            try Verifier.verify(module([f, k(0), k(1, 1), Instruction(.makeMap, a: 2), Instruction(.insertMap, a: 2, b: 0, c: 1), ret(2)]))
        }
    }

    @Test func oneDeclarationPerVariable() {
        var fewer = module([f, k(0), ret(0)])
        fewer.declarations = []
        expectRejected(fewer, .declarationCount, at: nil)
        var more = module([f, k(0), ret(0)])
        more.declarations = [.int, .string]
        expectRejected(more, .declarationCount, at: nil)
    }

    /// Nesting the decoder would reject is rejected here too, so every verified module
    /// decodes after encoding; exactly `maxDepth` levels are accepted.
    @Test func declarationsWithinTheDecodersDepth() throws {
        var deepest: DeclaredType = .int
        for level in 1..<DeclaredType.maxDepth { deepest = level % 2 == 0 ? .list(deepest) : .map(key: .string, value: deepest) }
        var m = module([f, k(0), ret(0)])
        m.declarations = [deepest]
        try Verifier.verify(m)
        #expect(try ModuleDecoder.decode(ModuleEncoder.encode(m)) == m)
        m.declarations = [.list(deepest)]
        expectRejected(m, .declarationTooDeep, at: nil)
    }

    @Test func unreachableCodeIsNotChecked() throws {
        // Instruction 4 reads r1, but nothing reaches it.
        try Verifier.verify(module([f, k(0), ret(0), f, ret(1)]))
    }

    @Test func errorDescription() {
        do {
            try Verifier.verify(module([f, ret(2)]))
        } catch {
            #expect(error.description == "invalid instruction 1 (ret): r2 may be read before it is written")
        }
    }
}
