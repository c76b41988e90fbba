@testable import SpectralBytecode
import Testing

/// Hand-built modules shared by the tests.
enum Fixtures {
    static let binaryOpcodes: [Opcode] = [
        .add, .sub, .mul, .div, .mod, .eq, .ne, .lt, .le, .gt, .ge, .in, .index, .and, .or,
        .addInt, .subInt, .mulInt, .divInt, .modInt, .addDouble, .subDouble, .mulDouble, .divDouble,
        .eqInt, .ltInt, .leInt, .gtInt, .geInt, .eqDouble, .ltDouble, .leDouble, .gtDouble, .geDouble,
        .eqString,
    ]

    /// One constant of every kind, with the awkward values (-0.0, a NaN with a
    /// payload, Int64.min, UInt64.max, empty and non-ASCII strings, bytes).
    static let allConstants: [Constant] = [
        .string("hello"),                                       // k0: matchConst's pattern
        .null,
        .int(Int64.min),
        .bool(true),
        .uint(UInt64.max),
        .double(-0.0),
        .double(Double(bitPattern: 0x7ff8_dead_beef_0001)),     // quiet NaN with a payload
        .string(""),
        .string("héllo ✓ 𝄞 \u{0}"),
        .bytes([0, 255, 10, 0x80]),
        .type("google.protobuf.Timestamp"),
        .timestamp(seconds: -62_135_596_800, nanos: 999_999_999),
        .duration(seconds: -1, nanos: Int32.min),
        .double(.infinity),
        .bool(false),
        .bytes([]),
        .int(Int64.max),
        .double(0.0),
        .double(-Double.nan),
        .uint(0),
        .int(-1),
    ]

    /// A verifiable module that uses every opcode and every constant kind.
    static var everyOpcode: Module {
        // Registers: r0 input, r1 string, r2/r3 ints, r4 result, r5 scratch, r6 list,
        // r7 map, r8:r9 iterator, r10 call result, r11:r12 iterNext2's pair.
        var code: [Instruction] = [
            Instruction(.fuel, b: 1),
            Instruction(.loadVar, a: 0, b: 0),
            Instruction(.loadConst, a: 1, b: 0),
            Instruction(.loadConst, a: 2, b: 2),
            Instruction(.move, a: 3, b: 2),
            Instruction(.trace, a: 3, b: 2),
        ]
        for op in binaryOpcodes { code.append(Instruction(op, a: 4, b: 2, c: 3)) }
        code += [
            Instruction(.neg, a: 4, b: 2),
            Instruction(.not, a: 4, b: 1),
            Instruction(.notStrictlyFalse, a: 4, b: 1),
            Instruction(.select, a: 5, b: 0, c: 0),
            Instruction(.has, a: 5, b: 0, c: 1),
            Instruction(.makeList, a: 6, b: 2, c: 2),
            Instruction(.makeMap, a: 7, b: 1, c: 1),
            Instruction(.appendList, a: 6, b: 2),
            Instruction(.insertMap, a: 7, b: 1, c: 2),
            Instruction(.call, a: 10, b: 0, c: 6),
            Instruction(.matchConst, a: 10, b: 1, c: 0),
        ]
        let iterInit = code.count
        code.append(Instruction(.iterInit, a: 8, b: 6, c: 0))       // c patched to `done`
        let loop = code.count
        code += [
            Instruction(.fuel, b: 2),
            Instruction(.iterNext, a: 8, b: 5, c: 0),                // c patched to `done`
            Instruction(.iterNext2, a: 8, b: 11, c: 0),              // r11, r12; c patched to `done`
            Instruction(.jumpIfFalse, a: 5, b: UInt32(loop)),
            Instruction(.jump, b: UInt32(loop)),
        ]
        let done = code.count
        code[iterInit].c = UInt32(done)
        code[loop + 1].c = UInt32(done)
        code[loop + 2].c = UInt32(done)
        code += [
            Instruction(.fuel, b: 1),
            Instruction(.jumpIfTrue, a: 1, b: UInt32(done + 2)),
            Instruction(.fuel, b: 3),                                 // done + 2
            Instruction(.branch, a: 1, b: UInt32(done + 6), c: UInt32(done + 8)),
            Instruction(.fuel, b: 1),
            Instruction(.ret, a: 4),
            Instruction(.fuel, b: 1),                                 // done + 6
            Instruction(.ret, a: 2),
            Instruction(.fuel, b: 1),                                 // done + 8
            Instruction(.ret, a: 1),
        ]
        var spans: [SourceRange] = []
        for i in code.indices {
            switch i % 5 {
            case 0: spans.append(.unknown)
            case 1: spans.append(SourceRange(start: Int32(i), end: Int32(i + 3)))
            case 2: spans.append(SourceRange(start: Int32.max, end: Int32.min))
            case 3: spans.append(SourceRange(start: Int32.min, end: Int32.max))
            default: spans.append(SourceRange(start: 1000 - Int32(i), end: 1000))
            }
        }
        return Module(
            constants: allConstants,
            names: ["name", "ünïcode", ""],
            variables: ["user", "request.auth"],
            declarations: [.map(key: .string, value: .list(.timestamp)), .dyn],
            functions: [FunctionRef(name: "size", arity: 1, receiver: true),
                        FunctionRef(name: "now", arity: 0, receiver: false)],
            registerCount: 13, code: code, spans: spans, costBound: UInt64.max)
    }

    /// `x + 1` on an int variable: the kind of module the compiler emits.
    static var small: Module {
        Module(
            constants: [.int(1)],
            variables: ["x"],
            declarations: [.int],
            registerCount: 2,
            code: [
                Instruction(.fuel, b: 3),
                Instruction(.loadVar, a: 0, b: 0),
                Instruction(.loadConst, a: 1, b: 0),
                Instruction(.addInt, a: 0, b: 0, c: 1),
                Instruction(.ret, a: 0),
            ],
            spans: [SourceRange(start: 0, end: 5), SourceRange(start: 0, end: 1),
                    SourceRange(start: 4, end: 5), SourceRange(start: 0, end: 5), SourceRange(start: 0, end: 5)],
            costBound: 3)
    }

    /// The smallest verifiable module: return a constant.
    static var minimal: Module {
        Module(constants: [.bool(true)], registerCount: 1,
               code: [Instruction(.fuel, b: 1), Instruction(.loadConst, a: 0, b: 0), Instruction(.ret, a: 0)],
               spans: [.unknown, .unknown, .unknown], costBound: 1)
    }

    /// Splits a valid encoding into its sections (id, payload), header excluded.
    static func sections(of bytes: [UInt8]) -> [(id: UInt8, payload: [UInt8])] {
        var result: [(UInt8, [UInt8])] = []
        var i = 6
        while i < bytes.count {
            let id = bytes[i]
            guard let (length, next) = try? LEB128.decodeUnsigned(bytes, at: i + 1, end: bytes.count) else { break }
            let end = next + Int(length)
            result.append((id, Array(bytes[next..<end])))
            i = end
        }
        return result
    }

    /// The header of the current format version.
    static let header = Module.magic + [UInt8(Module.formatVersion), 0]
    /// The header of format version 1 (no declarations section).
    static let version1Header = Module.magic + [1, 0]

    /// Assembles a header and sections (each given as id and payload).
    static func assemble(_ sections: [(id: UInt8, payload: [UInt8])],
                         header: [UInt8] = Fixtures.header) -> [UInt8] {
        var out = header
        for (id, payload) in sections {
            out.append(id)
            LEB128.appendUnsigned(UInt64(payload.count), to: &out)
            out += payload
        }
        return out
    }

    /// `module` as format version 1 wrote it: the same sections, without declarations (or overloads).
    static func version1(_ module: Module) -> [UInt8] {
        assemble(sections(of: ModuleEncoder.encode(module)).filter { $0.id < 8 }, header: version1Header)
    }

    /// The sections of `minimal` with the one whose id is `id` replaced.
    static func minimalWith(section id: UInt8, payload: [UInt8]) -> [UInt8] {
        assemble(sections(of: ModuleEncoder.encode(minimal)).map { $0.id == id ? (id, payload) : $0 })
    }
}

/// Hostile bytes derived from an encoding: every truncation throws, and every single-bit
/// corruption either throws or decodes to a module that re-encodes to bytes decoding to it
/// again (and satisfies `check`). Nothing traps.
func expectCorruptionsHandled(_ bytes: [UInt8], _ check: (Module) -> Void = { _ in }) throws {
    for length in 0..<bytes.count {
        #expect(throws: ModuleFormatError.self) { try ModuleDecoder.decode(Array(bytes.prefix(length))) }
    }
    for index in bytes.indices {
        for bit in 0..<8 {
            var flipped = bytes
            flipped[index] ^= 1 << UInt8(bit)
            guard let decoded = try? ModuleDecoder.decode(flipped) else { continue }
            check(decoded)
            #expect(try ModuleDecoder.decode(ModuleEncoder.encode(decoded)) == decoded)
        }
    }
}
