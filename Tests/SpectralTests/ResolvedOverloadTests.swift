import Spectral
import Testing

/// The overloads the checker resolves are compiled into the call (format version 3):
/// one overload binds the call to its implementation, several (a `dyn` argument) are the
/// call's candidate set, none (unchecked, or stored before version 3) are found by name
/// when the module is loaded.
@Suite struct ResolvedOverloadTests {
    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func resolvedOverloadIsInTheModuleAndItsListing() throws {
        let program = try compile("1 + x.size()", in: Environment(variables: ["x": .string]))
        #expect(program.module.functions == [FunctionRef(name: "size", arity: 1, receiver: true, overloads: ["string_size"])])
        #expect(Disassembler.disassemble(program.module).contains("f0 = size/1 (receiver) -> string_size"))
        #expect(program.evaluate(["x": .string("héllo")]).result == .success(.int(6)))
    }

    @Test func dynArgumentCarriesTheCandidateSet() throws {
        let program = try compile("size(x)", in: Environment(variables: ["x": .dyn]))
        #expect(program.module.functions.first?.overloads == ["size_string", "size_bytes", "size_list", "size_map"])
        // The candidates are told apart by the argument's runtime kind.
        #expect(program.evaluate(json: Self.json(#"{"x": "abc"}"#)).result == .success(.int(3)))
        #expect(program.evaluate(json: Self.json(#"{"x": [1, 2]}"#)).result == .success(.int(2)))
        #expect(program.evaluate(json: Self.json(#"{"x": {"a": 1}}"#)).result == .success(.int(1)))
        // No candidate fits: "no such overload", as before.
        guard case .failure(let failure) = program.evaluate(json: Self.json(#"{"x": 5}"#)).result else {
            Issue.record("size(5) evaluated")
            return
        }
        #expect("\(failure)".contains("no such overload: size(int)"))
    }

    @Test func mixedNumberCandidatesDispatchOnBothArguments() throws {
        let program = try compile("math.greatest(x, y)", in: Environment(variables: ["x": .dyn, "y": .dyn]))
        #expect(program.module.functions.first?.overloads.count == 9)
        #expect(program.evaluate(json: Self.json(#"{"x": 1, "y": 2.5}"#)).result == .success(.double(2.5)))
    }

    @Test func uncheckedCallsAreResolvedByNameWhenLoaded() throws {
        var environment = Environment(variables: ["x": .dyn])
        environment.typeCheck = false
        let program = try compile("x.size() + size(x)", in: environment)
        #expect(program.module.functions.allSatisfy { $0.overloads.isEmpty })
        #expect(program.evaluate(json: Self.json(#"{"x": "ab"}"#)).result == .success(.int(4)))
        // An unknown function is a CEL error, which `||` can absorb.
        #expect(try compile("f_unknown(1) || true", in: environment).evaluate().result == .success(.bool(true)))
    }

    /// `string()` of a JSON null or a type value, under `dyn`: what it always gave.
    @Test func nullAndTypesConvertToStringsAsBefore() throws {
        let program = try compile("string(x) + ' ' + string(type(y))", in: Environment(variables: ["x": .dyn, "y": .dyn]))
        #expect(program.evaluate(json: Self.json(#"{"x": null, "y": 1}"#)).result == .success(.string("null int")))
        var unchecked = Environment(variables: ["x": .dyn])
        unchecked.typeCheck = false
        #expect(try compile("string(x)", in: unchecked).evaluate(json: Self.json(#"{"x": null}"#)).result == .success(.string("null")))
    }

    /// A version-2 module (no overloads section) calling library functions: loaded by
    /// name, with the results of the version-3 module it was cut from.
    @Test func version2ModuleStillRuns() throws {
        let source = "s.startsWith('ab') && size(s) == 4 && math.abs(n) == 3 && string(n) == '-3'"
        let program = try compile(source, in: Environment(variables: ["s": .string, "n": .int]))
        #expect(program.module.functions.allSatisfy { $0.overloads.count == 1 })
        let input = Self.json(#"{"s": "abcd", "n": -3}"#)
        #expect(program.evaluate(json: input).result == .success(.bool(true)))

        // The same module as version 2 wrote it: header version 2, no section 9.
        var bytes = Array(program.encoded.prefix(6))
        bytes[4] = 2
        var offset = 6
        let encoded = program.encoded
        while offset < encoded.count {
            let id = encoded[offset]
            var length = 0, shift = 0, cursor = offset + 1
            while true {
                let byte = encoded[cursor]
                length |= Int(byte & 0x7f) << shift
                cursor += 1
                if byte & 0x80 == 0 { break }
                shift += 7
            }
            if id != 9 { bytes += encoded[offset..<(cursor + length)] }
            offset = cursor + length
        }
        #expect(ModuleDecoder.formatVersion(of: bytes) == 2)
        let old = try Program(bytes: bytes)
        #expect(old.module.functions.allSatisfy { $0.overloads.isEmpty })
        #expect(old.evaluate(json: input).result == .success(.bool(true)))
        #expect(old.evaluate(json: Self.json(#"{"s": "abc", "n": -3}"#)).result == .success(.bool(false)))
    }
}
