import Foundation
import Spectral
import Testing

/// Modules carry their input declarations (format version 2): a loaded program binds
/// JSON input as declared without being told, and stored version-1 modules still load
/// and can be upgraded.
@Suite struct SelfDescribingModuleTests {
    static let source = #"amount > 1000.0 && customer.tier in ["gold", "platinum"]"#
    static let declarations = ["amount": "double", "customer": "map(string, dyn)"]

    /// big_spender as the version-1 encoder wrote it (before modules carried declarations).
    static func version1Bytes() throws -> [UInt8] {
        let url = repositoryRoot.appendingPathComponent("Fixtures/modules/v1-big-spender.spbc")
        return [UInt8](try Data(contentsOf: url))
    }

    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func compiledModuleBindsAsDeclaredWithoutStitching() throws {
        let environment = try Environment(declaring: ["amount": "double"])
        let bytes = try compile("amount > 1000.0", in: environment).encoded
        let program = try Program(bytes: bytes)
        #expect(program.inputShapes == ["amount": .double])
        #expect(program.evaluate(json: Self.json(#"{"amount": 5000}"#)).result == .success(.bool(true)))
        // Bound as a double, not an int: double arithmetic on it works.
        let half = try Program(bytes: compile("amount / 2.0", in: environment).encoded)
        #expect(half.evaluate(json: Self.json(#"{"amount": 5000}"#)).result == .success(.double(2500)))
        #expect(half.evaluate(json: Self.json(#"{"amount": "5000"}"#)).result == .failure(.input("amount: expected double")))
    }

    @Test func programFromModuleDerivesShapes() throws {
        let environment = try Environment(declaring: Self.declarations)
        let compiled = try compile(Self.source, in: environment)
        #expect(compiled.inputShapes == ["amount": .double, "customer": .map(.dyn)])
        let reloaded = try Program(module: compiled.module)
        #expect(reloaded.inputShapes == compiled.inputShapes)
        let input = Self.json(#"{"amount": 5000, "customer": {"tier": "gold"}}"#)
        #expect(reloaded.evaluate(json: input).result == .success(.bool(true)))
    }

    /// The committed version-1 module still decodes, verifies and evaluates, every
    /// variable bound as `dyn` (as it was before being told its declarations).
    @Test func version1ModuleStillLoads() throws {
        let bytes = try Self.version1Bytes()
        #expect(ModuleDecoder.formatVersion(of: bytes) == 1)
        let module = try ModuleDecoder.decode(bytes)
        try Verifier.verify(module)
        #expect(module.variables == ["amount", "customer"])
        #expect(module.declarations == [.dyn, .dyn])
        #expect(Disassembler.disassemble(module).contains("v0 = amount: dyn"))

        let program = try Program(bytes: bytes)
        #expect(program.inputShapes.isEmpty)
        let input = Self.json(#"{"amount": 5000, "customer": {"tier": "gold"}}"#)
        #expect(program.evaluate(json: input).result == .success(.bool(true)))
        #expect(program.evaluate(json: Self.json(#"{"amount": 10, "customer": {"tier": "gold"}}"#)).result == .success(.bool(false)))
        // As dyn, a string amount binds, and fails only when compared.
        let text = program.evaluate(json: Self.json(#"{"amount": "5000", "customer": {"tier": "gold"}}"#))
        guard case .failure(.evaluation) = text.result else {
            Issue.record("expected an evaluation error, got \(text.result)")
            return
        }
    }

    /// Upgraded with the declarations the store keeps, the version-1 module binds as
    /// declared, and is byte for byte what the compiler writes today but for the cost bound:
    /// that is the compiler's of its day (today's prices more of the work, so it is higher).
    @Test func version1ModuleUpgrades() throws {
        var upgraded = try ModuleDecoder.decode(Self.version1Bytes()).declaring(parsing: Self.declarations)
        #expect(upgraded.declarations == [.double, .map(key: .string, value: .dyn)])
        let compiled = try compile(Self.source, in: Environment(declaring: Self.declarations))
        #expect(upgraded.costBound <= compiled.module.costBound)
        upgraded.costBound = compiled.module.costBound
        let bytes = ModuleEncoder.encode(upgraded)
        #expect(ModuleDecoder.formatVersion(of: bytes) == Module.formatVersion)
        #expect(bytes == compiled.encoded)

        let program = try Program(bytes: bytes)
        #expect(program.inputShapes == ["amount": .double, "customer": .map(.dyn)])
        let input = Self.json(#"{"amount": 5000, "customer": {"tier": "gold"}}"#)
        #expect(program.evaluate(json: input).result == .success(.bool(true)))
        let text = program.evaluate(json: Self.json(#"{"amount": "5000", "customer": {"tier": "gold"}}"#))
        #expect(text.result == .failure(.input("amount: expected double")))
    }

    /// The bytecode fuzz target's seeds (a mode byte, then a version-1 module) still load.
    @Test func version1FuzzSeedsStillLoad() throws {
        let directory = repositoryRoot.appendingPathComponent("infra/fuzz/corpus/bytecode")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }
        #expect(!names.isEmpty)
        for name in names {
            let seed = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            let module = Array(seed.dropFirst())
            #expect(ModuleDecoder.formatVersion(of: module) == 1, "\(name)")
            #expect(throws: Never.self, "\(name)") { _ = try Program(bytes: module) }
        }
    }

    @Test func declarationTextThatDoesNotParseIsRejected() throws {
        let module = try ModuleDecoder.decode(Self.version1Bytes())
        #expect(throws: TypeSyntaxError.self) { try module.declaring(parsing: ["amount": "doubel"]) }
        #expect(try DeclaredType(parsing: "map(string, dyn)") == .map(key: .string, value: .dyn))
        #expect(try DeclaredType(parsing: "google.protobuf.Timestamp") == .timestamp)
        #expect(try DeclaredType(parsing: "null_type") == .dyn)
    }
}
