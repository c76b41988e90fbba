import Testing
@testable import SpectralBytecode

@Suite struct RoundTripTests {
    @Test func everyOpcodeModuleUsesEveryOpcodeAndVerifies() throws {
        let m = Fixtures.everyOpcode
        #expect(Set(m.code.map(\.opcode)) == Set(Opcode.allCases))
        try Verifier.verify(m)
    }

    @Test(arguments: [Fixtures.everyOpcode, Fixtures.small, Fixtures.minimal, Module()])
    func roundTrips(_ module: Module) throws {
        let bytes = ModuleEncoder.encode(module)
        let decoded = try ModuleDecoder.decode(bytes)
        #expect(decoded == module)
        #expect(ModuleEncoder.encode(decoded) == bytes)
    }

    @Test func everyConstantKindRoundTripsBitExactly() throws {
        for constant in Fixtures.allConstants {
            let m = Module(constants: [constant])
            let back = try ModuleDecoder.decode(ModuleEncoder.encode(m))
            #expect(back.constants == [constant])
            if case .double(let x) = constant, case .double(let y) = back.constants[0] {
                #expect(x.bitPattern == y.bitPattern)
            }
        }
    }

    @Test func negativeZeroAndNaNPayloadSurvive() throws {
        let nan = Double(bitPattern: 0x7ff0_0000_0000_0001)  // signalling NaN payload
        let m = Module(constants: [.double(-0.0), .double(nan)])
        let back = try ModuleDecoder.decode(ModuleEncoder.encode(m))
        guard case .double(let z) = back.constants[0], case .double(let n) = back.constants[1] else {
            Issue.record("constants changed kind"); return
        }
        #expect(z.bitPattern == (-0.0 as Double).bitPattern)
        #expect(n.bitPattern == nan.bitPattern)
    }

    @Test func headerLayout() {
        let bytes = ModuleEncoder.encode(Module())
        #expect(Array(bytes.prefix(6)) == [0x53, 0x50, 0x42, 0x43, 4, 0])
        #expect(Fixtures.sections(of: bytes).map(\.id) == [1, 2, 3, 4, 5, 6, 7, 8, 9])
    }

    @Test func operandsAreEncodedOnlyWhenUsed() {
        // ret uses only a: opcode byte + one LEB byte.
        let m = Module(registerCount: 1, code: [Instruction(.ret, a: 5)])
        let code = Fixtures.sections(of: ModuleEncoder.encode(m)).first { $0.id == 5 }?.payload
        #expect(code == [1, 1, Opcode.ret.rawValue, 5])
    }

    @Test func wideOperandsRoundTrip() throws {
        let m = Module(registerCount: UInt16.max,
                       code: [Instruction(.move, a: UInt16.max, b: Instruction.maxWideOperand),
                              Instruction(.makeMap, a: 1, b: Instruction.maxWideOperand, c: Instruction.maxWideOperand)])
        #expect(try ModuleDecoder.decode(ModuleEncoder.encode(m)) == m)
    }
}

@Suite struct LEB128Tests {
    @Test(arguments: [0, 1, 63, 64, 127, 128, 255, 16_383, 16_384, UInt64(Int64.max), UInt64.max - 1, UInt64.max])
    func unsignedRoundTrips(_ v: UInt64) throws {
        var bytes: [UInt8] = []
        LEB128.appendUnsigned(v, to: &bytes)
        #expect(bytes.count == LEB128.unsignedSize(v))
        let (back, next) = try LEB128.decodeUnsigned(bytes, at: 0, end: bytes.count)
        #expect(back == v && next == bytes.count)
    }

    @Test(arguments: [0, 1, -1, 63, 64, -64, -65, 127, -128, 8191, -8192, Int64.max, Int64.min, Int64.min + 1])
    func signedRoundTrips(_ v: Int64) throws {
        var bytes: [UInt8] = []
        LEB128.appendSigned(v, to: &bytes)
        #expect(bytes.count == LEB128.signedSize(v))
        let (back, next) = try LEB128.decodeSigned(bytes, at: 0, end: bytes.count)
        #expect(back == v && next == bytes.count)
    }

    @Test func rejectsOverlongForms() {
        #expect(throws: LEB128.Failure.overlong) { try LEB128.decodeUnsigned([0x80, 0x00], at: 0, end: 2) }
        #expect(throws: LEB128.Failure.overlong) { try LEB128.decodeUnsigned([0xff, 0x80, 0x00], at: 0, end: 3) }
        #expect(throws: LEB128.Failure.overlong) { try LEB128.decodeSigned([0xff, 0x7f], at: 0, end: 2) }  // -1 padded
        #expect(throws: LEB128.Failure.overlong) { try LEB128.decodeSigned([0x80, 0x00], at: 0, end: 2) }  // 0 padded
    }

    @Test func rejectsOverflow() {
        let eleven: [UInt8] = Array(repeating: 0xff, count: 10) + [0x01]
        #expect(throws: LEB128.Failure.overflow) { try LEB128.decodeUnsigned(eleven, at: 0, end: eleven.count) }
        let big: [UInt8] = Array(repeating: 0xff, count: 9) + [0x02]   // bit 64
        #expect(throws: LEB128.Failure.overflow) { try LEB128.decodeUnsigned(big, at: 0, end: big.count) }
        let signed: [UInt8] = Array(repeating: 0x80, count: 9) + [0x01]  // +2^63
        #expect(throws: LEB128.Failure.overflow) { try LEB128.decodeSigned(signed, at: 0, end: signed.count) }
    }

    @Test func rejectsTruncation() {
        #expect(throws: LEB128.Failure.truncated) { try LEB128.decodeUnsigned([], at: 0, end: 0) }
        #expect(throws: LEB128.Failure.truncated) { try LEB128.decodeUnsigned([0x80, 0x80], at: 0, end: 2) }
        #expect(throws: LEB128.Failure.truncated) { try LEB128.decodeSigned([0x80, 0x01], at: 0, end: 1) }
    }
}
