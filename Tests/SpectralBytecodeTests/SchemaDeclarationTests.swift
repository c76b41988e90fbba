import Testing
@testable import SpectralBytecode

/// JSON Schema declarations in modules (format version 4): round trips, hostile bytes,
/// and the verifier's `declaredSchema` rule.
@Suite struct SchemaDeclarationTests {
    static let item = InputSchema(.object(InputObject(fields: [
        InputField(name: "qty", schema: InputSchema(.integer, minimum: 1, maximum: 1e6), required: true),
        InputField(name: "sku", schema: InputSchema(.string, maxLength: 16), required: false),
    ], additional: .forbidden)))

    static let txn = InputSchema(.object(InputObject(fields: [
        InputField(name: "amount", schema: InputSchema(.number, minimum: 0), required: true),
        InputField(name: "at", schema: InputSchema(.timestamp), required: false),
        InputField(name: "currency", schema: InputSchema(.string, values: [.string("EUR"), .string("USD")]), required: true),
        InputField(name: "ip", schema: InputSchema(.string, format: .ipv6), required: false),
        InputField(name: "items", schema: InputSchema(.array(item), maxItems: 10), required: false),
        InputField(name: "labels", schema: InputSchema(.object(InputObject(fields: [], additional: .allowed(InputSchema(.string)))), maxProperties: 4), required: false),
        InputField(name: "note", schema: InputSchema(.string, nullable: true), required: false),
        InputField(name: "tier", schema: InputSchema(.any, values: [.int(1), .uint(1 << 63), .double(2.5), .bool(true), .null]), required: false),
    ])))

    static func module(_ declarations: [DeclaredType]) -> Module {
        let variables = declarations.indices.map { "v\($0)" }
        var code = [Instruction(.fuel, b: 1)]
        for slot in variables.indices { code.append(Instruction(.loadVar, a: 0, b: UInt32(slot))) }
        code.append(Instruction(.ret, a: 0))
        return Module(variables: variables, declarations: declarations, registerCount: 1, code: code,
                      spans: Array(repeating: .unknown, count: code.count), costBound: 1)
    }

    @Test func schemasRoundTrip() throws {
        let m = Self.module([.schema(Self.txn), .list(.schema(Self.item)), .int])
        try Verifier.verify(m)
        let bytes = ModuleEncoder.encode(m)
        #expect(ModuleDecoder.formatVersion(of: bytes) == 4)
        let decoded = try ModuleDecoder.decode(bytes)
        #expect(decoded == m)
        #expect(ModuleEncoder.encode(decoded) == bytes)
    }

    /// Modules of the previous format (no schemas) still load.
    @Test func version3ModulesStillDecode() throws {
        let m = Self.module([.double, .map(key: .string, value: .dyn)])
        var bytes = ModuleEncoder.encode(m)
        bytes[4] = 3
        #expect(try ModuleDecoder.decode(bytes) == m)
        // A schema is not part of version 3: its tag is unknown there.
        var withSchema = ModuleEncoder.encode(Self.module([.schema(InputSchema(.integer))]))
        withSchema[4] = 3
        do {
            _ = try ModuleDecoder.decode(withSchema)
            Issue.record("a schema decoded from a version-3 module")
        } catch {
            #expect(error.kind == .unknownTypeTag)
        }
    }

    /// Every truncation throws; every single-bit corruption either throws or decodes to a
    /// module that re-encodes to bytes decoding to it again. Nothing traps.
    @Test func hostileBytesAreRefusedCleanly() throws {
        try expectCorruptionsHandled(ModuleEncoder.encode(Self.module([.schema(Self.txn)])))
    }

    @Test func nestingIsBoundedOnDecode() throws {
        var deep = InputSchema(.integer)
        for _ in 0..<(DeclaredType.maxDepth + 5) { deep = InputSchema(.array(deep)) }
        let m = Self.module([.schema(deep)])
        #expect(throws: VerificationError.self) { try Verifier.verify(m) }
        do {
            _ = try ModuleDecoder.decode(ModuleEncoder.encode(m))
            Issue.record("a schema deeper than the limit decoded")
        } catch {
            #expect(error.kind == .typeTooDeep)
        }
        // The deepest allowed nesting decodes.
        var ok = InputSchema(.integer)
        for _ in 1..<DeclaredType.maxDepth { ok = InputSchema(.array(ok)) }
        #expect(try ModuleDecoder.decode(ModuleEncoder.encode(Self.module([.schema(ok)]))).declarations == [.schema(ok)])
    }

    @Test func fieldsOutOfOrderAreNotCanonical() throws {
        var object = InputObject(fields: [InputField(name: "a", schema: InputSchema(.integer), required: false),
                                          InputField(name: "b", schema: InputSchema(.integer), required: false)])
        object.fields.reverse()
        let m = Self.module([.schema(InputSchema(.object(object)))])
        do {
            _ = try ModuleDecoder.decode(ModuleEncoder.encode(m))
            Issue.record("decoded fields out of order")
        } catch {
            #expect(error.kind == .invalidValue)
            #expect(error.message == "fields of schema of variable 0 are not in strictly ascending name order")
        }
        #expect(verificationMessage(m) == "invalid module: the schema of variable 0: fields not in strictly ascending name order at #")
    }

    func verificationMessage(_ m: Module) -> String? {
        do {
            try Verifier.verify(m)
            return nil
        } catch {
            #expect(error.rule == .declaredSchema || error.rule == .declarationTooDeep)
            return error.description
        }
    }

    @Test(arguments: [
        (InputSchema(.integer, maxLength: 3), "maxLength on a value that is not a string at #"),
        (InputSchema(.integer, format: .ipv4), "a format on a value that is not a string at #"),
        (InputSchema(.string, minimum: 1), "a minimum or maximum on a value that is not a number at #"),
        (InputSchema(.number, minimum: .nan), "a minimum that is not finite at #"),
        (InputSchema(.number, maximum: .infinity), "a maximum that is not finite at #"),
        (InputSchema(.number, minimum: 2, maximum: 1), "a minimum above the maximum at #"),
        (InputSchema(.string, maxItems: 1), "maxItems on a value that is not an array at #"),
        (InputSchema(.string, maxProperties: 1), "maxProperties on a value that is not an object at #"),
        (InputSchema(.any, nullable: true), "a nullable null or untyped value at #"),
        (InputSchema(.any, values: [.list([])]), "an enum value that is not a finite scalar at #"),
        (InputSchema(.array(InputSchema(.integer, maxLength: 1))), "maxLength on a value that is not a string at #/items"),
        (InputSchema(.object(InputObject(fields: [InputField(name: "a", schema: InputSchema(.boolean, minimum: 0), required: true)]))),
         "a minimum or maximum on a value that is not a number at #/properties/a"),
    ])
    func theVerifierRefusesSchemasTheBinderCannotApply(schema: InputSchema, problem: String) {
        #expect(verificationMessage(Self.module([.schema(schema)])) == "invalid module: the schema of variable 0: \(problem)")
    }
}
