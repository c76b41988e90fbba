import Testing
@testable import SpectralBytecode

/// One test per malformation: each asserts the error kind and the byte offset.
@Suite struct DecodeErrorTests {
    func error(_ bytes: [UInt8]) -> ModuleFormatError? {
        do {
            _ = try ModuleDecoder.decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    func expectError(_ bytes: [UInt8], _ kind: ModuleFormatError.Kind, at offset: Int,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        let e = error(bytes)
        #expect(e?.kind == kind, "got \(String(describing: e))", sourceLocation: sourceLocation)
        #expect(e?.offset == offset, "got \(String(describing: e))", sourceLocation: sourceLocation)
    }

    var valid: [UInt8] { ModuleEncoder.encode(Fixtures.minimal) }
    var sections: [(id: UInt8, payload: [UInt8])] { Fixtures.sections(of: valid) }

    @Test func badMagic() {
        var b = valid
        b[3] = 0x58
        expectError(b, .badMagic, at: 0)
        expectError([0x7f, 0x45, 0x4c, 0x46, 1, 0], .badMagic, at: 0)
    }

    @Test func emptyAndTruncatedHeader() {
        expectError([], .truncated, at: 0)
        expectError([0x53, 0x50], .truncated, at: 2)
        expectError(Module.magic, .truncated, at: 4)
        expectError(Module.magic + [1], .truncated, at: 5)
    }

    @Test func unsupportedVersion() {
        var b = valid
        b[4] = UInt8(Module.formatVersion + 1)
        expectError(b, .unsupportedVersion, at: 4)
        b[4] = 0
        expectError(b, .unsupportedVersion, at: 4)
        b[4] = 2
        b[5] = 1   // 258: the version is little-endian
        expectError(b, .unsupportedVersion, at: 4)
    }

    @Test func unknownSectionId() {
        var s = sections
        s[2].id = 0x42
        let b = Fixtures.assemble(s)
        let offset = 6 + s[0].payload.count + 2 + s[1].payload.count + 2
        expectError(b, .unknownSection, at: offset)
        expectError(Fixtures.assemble([(0, [])]), .unknownSection, at: 6)
    }

    @Test func sectionsOutOfOrder() {
        var s = sections
        s.swapAt(1, 2)   // variables before names
        let e = error(Fixtures.assemble(s))
        #expect(e?.kind == .missingSection)
        #expect(e?.message.contains("missing names section") == true)

        // constants, names, constants: a section after one that must follow it.
        let t = [sections[0], sections[1], sections[0]]
        expectError(Fixtures.assemble(t), .sectionOrder, at: 6 + 2 + sections[0].payload.count + 2 + sections[1].payload.count)
    }

    @Test func duplicateSection() {
        let s = [sections[0], sections[0]] + sections.dropFirst()
        expectError(Fixtures.assemble(s), .duplicateSection, at: 6 + 2 + sections[0].payload.count)
        // A second overloads section after the last one; declarations or a costBound after it.
        expectError(valid + [9, 1, 0], .duplicateSection, at: valid.count)
        expectError(valid + [8, 1, 0], .sectionOrder, at: valid.count)
        expectError(valid + [7, 1, 0], .sectionOrder, at: valid.count)
        // In version 1 the last section is costBound.
        let v1 = Fixtures.version1(Fixtures.minimal)
        expectError(v1 + [7, 1, 0], .duplicateSection, at: v1.count)
    }

    @Test func missingSections() {
        let withoutLast = Array(sections.dropLast())
        let b = Fixtures.assemble(withoutLast)
        expectError(b, .missingSection, at: b.count)
        expectError(Module.magic + [1, 0], .missingSection, at: 6)
    }

    @Test func sectionLengthLongerThanContent() {
        // names section with one stray byte after its (empty) content.
        let b = Fixtures.minimalWith(section: 2, payload: [0, 0])
        expectError(b, .sectionLength, at: 6 + 2 + sections[0].payload.count + 2 + 1)
    }

    @Test func sectionContentLongerThanLength() {
        // names section declaring 1 name whose string needs more than the section holds.
        let b = Fixtures.minimalWith(section: 2, payload: [1, 5, 0x61])
        let namesPayload = 6 + 2 + sections[0].payload.count + 2
        expectError(b, .sectionLength, at: namesPayload + 2)
    }

    @Test func sectionLengthBeyondInput() {
        let b = Module.magic + [1, 0, 1, 0x10, 0]
        expectError(b, .truncated, at: 7)
    }

    @Test func truncatedInsideSection() {
        let b = valid
        // Cut the last section's payload (costBound) off: its declared length is 1.
        expectError(Array(b.dropLast()), .truncated, at: b.count - 2)
    }

    @Test func invalidUTF8() {
        let namesPayload = 6 + 2 + sections[0].payload.count + 2
        for bad: [UInt8] in [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]] {
            let b = Fixtures.minimalWith(section: 2, payload: [1, UInt8(bad.count)] + bad)
            expectError(b, .invalidUTF8, at: namesPayload + 1)
        }
    }

    @Test func unknownConstantKind() {
        let b = Fixtures.minimalWith(section: 1, payload: [1, 42])
        expectError(b, .unknownConstantKind, at: 6 + 2 + 1)
    }

    @Test func invalidBoolAndReceiverBytes() {
        expectError(Fixtures.minimalWith(section: 1, payload: [1, 1, 2]), .invalidValue, at: 6 + 2 + 2)
        let e = error(Fixtures.minimalWith(section: 4, payload: [1, 1, 0x66, 0, 7]))
        #expect(e?.kind == .invalidValue)
        #expect(e?.message.contains("receiver") == true)
    }

    @Test func nanosOutOfRange() {
        var payload: [UInt8] = [1, 8, 0]
        LEB128.appendSigned(Int64(Int32.max) + 1, to: &payload)
        expectError(Fixtures.minimalWith(section: 1, payload: payload), .integerOverflow, at: 6 + 2 + 3)
    }

    var codeOffset: Int {
        6 + sections.prefix(4).reduce(0) { $0 + 2 + $1.payload.count } + 2
    }

    @Test func unknownOpcode() {
        let b = Fixtures.minimalWith(section: 5, payload: [1, 1, 0xee])
        expectError(b, .unknownOpcode, at: codeOffset + 2)
    }

    @Test func operandTooLarge() {
        var a: [UInt8] = [1, 1, Opcode.ret.rawValue]
        LEB128.appendUnsigned(65_536, to: &a)
        expectError(Fixtures.minimalWith(section: 5, payload: a), .operandTooLarge, at: codeOffset + 3)

        var b: [UInt8] = [1, 1, Opcode.fuel.rawValue]
        LEB128.appendUnsigned(UInt64(Instruction.maxWideOperand) + 1, to: &b)
        expectError(Fixtures.minimalWith(section: 5, payload: b), .operandTooLarge, at: codeOffset + 3)

        var c: [UInt8] = [1, 1, Opcode.add.rawValue, 0, 0]
        LEB128.appendUnsigned(UInt64(UInt32.max) + 1, to: &c)
        expectError(Fixtures.minimalWith(section: 5, payload: c), .operandTooLarge, at: codeOffset + 5)
    }

    @Test func registerCountTooLarge() {
        var p: [UInt8] = []
        LEB128.appendUnsigned(65_536, to: &p)
        p.append(0)
        expectError(Fixtures.minimalWith(section: 5, payload: p), .invalidValue, at: codeOffset)
    }

    @Test func overlongLEB128() {
        expectError(Fixtures.minimalWith(section: 2, payload: [0x80, 0x00]), .overlongInteger,
                    at: 6 + 2 + sections[0].payload.count + 2)
        // The section length itself.
        var b = Module.magic + [1, 0, 1, 0x81, 0x00]
        b += [0]
        expectError(b, .overlongInteger, at: 7)
    }

    @Test func overflowingLEB128() {
        let p: [UInt8] = [1, 3] + Array(repeating: 0xff, count: 10) + [0x01]
        expectError(Fixtures.minimalWith(section: 1, payload: p), .integerOverflow, at: 6 + 2 + 2)
    }

    @Test func countLargerThanRemainingBytes() {
        // A billion names in a 6-byte section: rejected before anything is reserved.
        var p: [UInt8] = []
        LEB128.appendUnsigned(1_000_000_000, to: &p)
        p += [0, 0]
        expectError(Fixtures.minimalWith(section: 2, payload: p), .countTooLarge, at: 6 + 2 + sections[0].payload.count + 2)
        // A huge bytes constant length is caught by the bounds check, not by allocating.
        var q: [UInt8] = [1, 6]
        LEB128.appendUnsigned(UInt64(Int.max), to: &q)
        #expect(error(Fixtures.minimalWith(section: 1, payload: q))?.kind == .sectionLength)
        var r: [UInt8] = [1, 6]
        LEB128.appendUnsigned(UInt64.max, to: &r)
        #expect(error(Fixtures.minimalWith(section: 1, payload: r))?.kind == .integerOverflow)
    }

    @Test func spanOutsideInt32() {
        var p: [UInt8] = [1]
        LEB128.appendSigned(Int64(Int32.max), to: &p)
        LEB128.appendSigned(1, to: &p)
        let e = error(Fixtures.minimalWith(section: 6, payload: p))
        #expect(e?.kind == .invalidValue)
        var q: [UInt8] = [1]
        LEB128.appendSigned(Int64.max, to: &q)
        LEB128.appendSigned(Int64.max, to: &q)
        #expect(error(Fixtures.minimalWith(section: 6, payload: q))?.kind == .invalidValue)
    }

    @Test func trailingBytes() {
        expectError(valid + [0], .trailingBytes, at: valid.count)
        expectError(valid + [0x99, 0x01], .trailingBytes, at: valid.count)
    }

    @Test func errorDescriptionNamesOffset() {
        let e = error([1, 2, 3, 4])
        #expect(e?.description == "invalid module at byte 0: not a Spectral bytecode module (bad magic)")
    }
}
