import Testing
@testable import SpectralBytecode

/// The overloads section (format version 3): each called function's resolved overload
/// ids, by function slot; modules of versions 1 and 2 decode with none.
@Suite struct OverloadsSectionTests {
    /// A verifiable module calling one function bound to one overload and one with a
    /// candidate set, and one resolved by name.
    static var calling: Module {
        let functions = [
            FunctionRef(name: "size", arity: 1, receiver: true, overloads: ["string_size"]),
            FunctionRef(name: "size", arity: 1, receiver: false, overloads: ["size_string", "size_list"]),
            FunctionRef(name: "f", arity: 1, receiver: false),
        ]
        var code = [Instruction(.fuel, b: 1), Instruction(.loadConst, a: 0, b: 0)]
        for slot in functions.indices { code.append(Instruction(.call, a: 1, b: UInt32(slot), c: 0)) }
        code.append(Instruction(.ret, a: 1))
        return Module(constants: [.string("ab")], functions: functions, registerCount: 2, code: code,
                      spans: Array(repeating: .unknown, count: code.count), costBound: 4)
    }

    @Test func overloadsRoundTrip() throws {
        let m = Self.calling
        try Verifier.verify(m)
        let bytes = ModuleEncoder.encode(m)
        let decoded = try ModuleDecoder.decode(bytes)
        #expect(decoded == m)
        #expect(ModuleEncoder.encode(decoded) == bytes)
        let section = Fixtures.sections(of: bytes).first { $0.id == 9 }
        // 3 functions: 1 id ("string_size"), 2 ids, none.
        #expect(section?.payload.prefix(3) == [3, 1, 11])
        #expect(section?.payload.last == 0)
    }

    @Test func listCountMustMatchTheFunctions() {
        let bytes = Fixtures.assemble(Fixtures.sections(of: ModuleEncoder.encode(Self.calling)).map {
            $0.id == 9 ? (id: 9, payload: [2, 0, 0]) : $0
        })
        #expect(throws: ModuleFormatError.self) { try ModuleDecoder.decode(bytes) }
        do {
            _ = try ModuleDecoder.decode(bytes)
        } catch {
            #expect(error.kind == .invalidValue)
            #expect(error.message == "2 overload lists for 3 functions")
        }
    }

    @Test func version2DecodesWithoutOverloads() throws {
        var sections = Fixtures.sections(of: ModuleEncoder.encode(Self.calling)).filter { $0.id != 9 }
        let v2 = Fixtures.assemble(sections, header: Module.magic + [2, 0])
        let decoded = try ModuleDecoder.decode(v2)
        #expect(decoded.functions.allSatisfy { $0.overloads.isEmpty })
        #expect(decoded.functions.map(\.name) == ["size", "size", "f"])
        // A version-2 module with an overloads section has a section its version lacks.
        sections = Fixtures.sections(of: ModuleEncoder.encode(Self.calling))
        #expect(throws: ModuleFormatError.self) {
            try ModuleDecoder.decode(Fixtures.assemble(sections, header: Module.magic + [2, 0]))
        }
    }

    @Test func disassemblyNamesTheOverloads() {
        let text = Disassembler.disassemble(Self.calling)
        #expect(text.contains("f0 = size/1 (receiver) -> string_size\n"))
        #expect(text.contains("f1 = size/1 -> size_string | size_list\n"))
        #expect(text.contains("f2 = f/1\n"))
    }
}
