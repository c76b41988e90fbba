import Testing
@testable import SpectralBytecode

/// The declarations section (format version 2), reading version 1, and upgrading it.
@Suite struct DeclarationsTests {
    static let everyType: [DeclaredType] = [
        .dyn, .bool, .int, .uint, .double, .string, .bytes, .timestamp, .duration,
        .list(.int), .map(key: .string, value: .dyn),
        .map(key: .int, value: .list(.map(key: .string, value: .list(.timestamp)))),
    ]

    /// A verifiable module reading one variable per declared type.
    static var declaringEveryType: Module {
        let variables = everyType.indices.map { "v\($0)" }
        var code = [Instruction(.fuel, b: 1)]
        for slot in variables.indices { code.append(Instruction(.loadVar, a: 0, b: UInt32(slot))) }
        code.append(Instruction(.ret, a: 0))
        return Module(variables: variables, declarations: everyType, registerCount: 1, code: code,
                      spans: Array(repeating: .unknown, count: code.count), costBound: 1)
    }

    func decodeError(_ bytes: [UInt8]) -> ModuleFormatError? {
        do {
            _ = try ModuleDecoder.decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// `minimal` with one variable and a declarations section of `payload`; returns the
    /// bytes and the offset of the payload. With `last`, the overloads section (which
    /// follows since format version 3) is left out, so the declarations end the input.
    func withDeclarations(_ payload: [UInt8], last: Bool = false) -> (bytes: [UInt8], payload: Int) {
        let m = Module(variables: ["x"], registerCount: 1,
                       code: Fixtures.minimal.code, spans: Fixtures.minimal.spans)
        let sections = Fixtures.sections(of: ModuleEncoder.encode(m)).map { $0.id == 8 ? (id: 8, payload: payload) : $0 }
        let throughDeclarations = Fixtures.assemble(sections.filter { $0.id <= 8 })
        let bytes = last ? throughDeclarations : Fixtures.assemble(sections)
        return (bytes, throughDeclarations.count - payload.count)
    }

    @Test func everyTypeRoundTrips() throws {
        let m = Self.declaringEveryType
        try Verifier.verify(m)
        let bytes = ModuleEncoder.encode(m)
        let decoded = try ModuleDecoder.decode(bytes)
        #expect(decoded.declarations == Self.everyType)
        #expect(decoded == m)
        #expect(ModuleEncoder.encode(decoded) == bytes)
    }

    @Test func typesAreTagsInPreOrder() {
        let m = Module(variables: ["a", "b", "c"],
                       declarations: [.double, .list(.int), .map(key: .string, value: .list(.dyn))])
        let payload = Fixtures.sections(of: ModuleEncoder.encode(m)).first { $0.id == 8 }
        #expect(payload?.id == 8)
        #expect(payload?.payload == [3, 4, 9, 2, 10, 5, 9, 0])
    }

    @Test func version1DecodesWithEveryVariableDyn() throws {
        let current = Self.declaringEveryType
        let v1 = Fixtures.version1(current)
        #expect(ModuleDecoder.formatVersion(of: v1) == 1)
        let decoded = try ModuleDecoder.decode(v1)
        #expect(decoded.declarations == Array(repeating: .dyn, count: current.variables.count))
        #expect(decoded.variables == current.variables)
        #expect(decoded.code == current.code)
        try Verifier.verify(decoded)
        // It re-encodes as version 2, which decodes to the same module.
        let reencoded = ModuleEncoder.encode(decoded)
        #expect(ModuleDecoder.formatVersion(of: reencoded) == Module.formatVersion)
        #expect(try ModuleDecoder.decode(reencoded) == decoded)
    }

    /// Corrupted version-1 encodings are handled like current ones: truncations throw,
    /// and whatever decodes re-encodes (as version 2) to bytes that decode to it again.
    @Test func corruptedVersion1IsHandled() throws {
        try expectCorruptionsHandled(Fixtures.version1(Fixtures.everyOpcode)) { decoded in
            #expect(decoded.declarations.count == decoded.variables.count)
        }
    }

    @Test func declaringUpgradesByName() throws {
        let v1 = try ModuleDecoder.decode(Fixtures.version1(Self.declaringEveryType))
        let upgraded = v1.declaring(["v1": .bool, "v10": .map(key: .string, value: .dyn), "unread": .int])
        #expect(upgraded.declarations[1] == .bool)
        #expect(upgraded.declarations[10] == .map(key: .string, value: .dyn))
        #expect(upgraded.declarations.enumerated().allSatisfy { $0.offset == 1 || $0.offset == 10 || $0.element == .dyn })
        #expect(upgraded.variables == v1.variables)
        #expect(upgraded.code == v1.code)
        // Declaring every variable gives back the module the compiler wrote.
        let all = Dictionary(uniqueKeysWithValues: zip(v1.variables, Self.everyType))
        #expect(v1.declaring(all) == Self.declaringEveryType)
    }

    @Test func formatVersionOfBytes() {
        #expect(ModuleDecoder.formatVersion(of: ModuleEncoder.encode(Fixtures.minimal)) == 4)
        #expect(ModuleDecoder.formatVersion(of: Module.magic + [1, 0]) == 1)
        #expect(ModuleDecoder.formatVersion(of: Module.magic + [1]) == nil)
        #expect(ModuleDecoder.formatVersion(of: [0x7f, 0x45, 0x4c, 0x46, 1, 0]) == nil)
    }

    @Test func unknownTag() {
        let (bytes, payload) = withDeclarations([1, 9, 12])
        let e = decodeError(bytes)
        #expect(e?.kind == .unknownTypeTag)
        #expect(e?.offset == payload + 2)
        #expect(e?.message == "declared type of variable 0 has unknown tag 12")
    }

    @Test func truncatedType() {
        // A map with its key but no value, at the end of the input.
        let (bytes, payload) = withDeclarations([1, 10, 5], last: true)
        let e = decodeError(bytes)
        #expect(e?.kind == .truncated)
        #expect(e?.offset == payload + 3)
        // The same inside a section followed by more bytes: the section's length is wrong.
        let f = decodeError(bytes + [0])
        #expect(f?.kind == .sectionLength)
        // Cut off in the middle of the section, and the section missing altogether.
        let valid = ModuleEncoder.encode(Self.declaringEveryType)
        #expect(decodeError(Array(valid.dropLast()))?.kind == .truncated)
        let withoutDeclarations = Fixtures.assemble(Fixtures.sections(of: valid).filter { $0.id < 8 })
        #expect(decodeError(withoutDeclarations)?.kind == .missingSection)
        #expect(decodeError(withoutDeclarations)?.message == "missing declarations section")
    }

    @Test func declarationCountLargerThanRemainingBytes() {
        let (bytes, payload) = withDeclarations([5, 0, 0])
        let e = decodeError(bytes)
        #expect(e?.kind == .countTooLarge)
        #expect(e?.offset == payload)
    }

    @Test func nestingDeeperThanTheLimit() throws {
        // maxDepth levels decode; one more is rejected at the tag that exceeds it,
        // without recursing through the rest (a megabyte of list tags).
        let deepest = Array(repeating: Self.listTag, count: DeclaredType.maxDepth - 1) + [2]
        let (ok, _) = withDeclarations([1] + deepest)
        var expected: DeclaredType = .int
        for _ in 1..<DeclaredType.maxDepth { expected = .list(expected) }
        #expect(try ModuleDecoder.decode(ok).declarations == [expected])

        let (bytes, payload) = withDeclarations([1] + Array(repeating: Self.listTag, count: 1 << 20))
        let e = decodeError(bytes)
        #expect(e?.kind == .typeTooDeep)
        #expect(e?.offset == payload + 1 + DeclaredType.maxDepth - 1)
    }

    static let listTag = DeclaredTypeTag.list.rawValue

    @Test func version1HasNoDeclarationsSection() {
        // A version-1 module carrying a declarations section: bytes after its last section.
        let v2 = ModuleEncoder.encode(Fixtures.small)
        var v1 = v2
        v1[4] = 1
        let e = decodeError(v1)
        #expect(e?.kind == .trailingBytes)
        // And a version-2 module without one is missing it.
        var bare = Fixtures.version1(Fixtures.small)
        bare[4] = 2
        #expect(decodeError(bare)?.kind == .missingSection)
    }

    @Test func disassemblyShowsDeclarations() {
        let text = Disassembler.disassemble(Self.declaringEveryType)
        #expect(text.contains("v4 = v4: double"))
        #expect(text.contains("v11 = v11: map(int, list(map(string, list(timestamp))))"))
        var unverified = Fixtures.small
        unverified.declarations = []
        #expect(Disassembler.disassemble(unverified).contains("v0 = x: <no declaration>"))
        unverified.declarations = [.int, .string]
        #expect(Disassembler.disassemble(unverified).contains("; declarations without a variable: string"))
    }
}
