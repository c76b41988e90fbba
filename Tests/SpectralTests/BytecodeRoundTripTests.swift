import Foundation
import Spectral
import Testing

/// Encoding round trips over the conformance corpus, and corrupted encodings never get past loading
/// unless they are safe to run.
@Suite struct BytecodeRoundTripTests {
    struct Compiled: Sendable, CustomTestStringConvertible {
        var id: String
        var source: String
        var program: Program
        var testDescription: String { id }
    }

    /// Every conformance test without the `proto` tag that compiles unchecked.
    static let corpus: [Compiled] = {
        let url = repositoryRoot.appendingPathComponent("Fixtures/conformance/cel-spec-visible.json")
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let tests = root["tests"] as? [[String: Any]] else { return [] }
        var compiled: [Compiled] = []
        for test in tests {
            let needs = test["needs"] as? [String] ?? []
            guard !needs.contains("proto"), let source = test["expr"] as? String else { continue }
            var variables: [String: CELType] = [:]
            for name in (test["bindings"] as? [String: Any] ?? [:]).keys { variables[name] = .dyn }
            for decl in test["type_env"] as? [[String: Any]] ?? [] {
                if decl["ident"] != nil, let name = decl["name"] as? String { variables[name] = .dyn }
            }
            var options = ParserOptions()
            options.macros = !(test["disable_macros"] as? Bool ?? false)
            let env = Environment(variables: variables, container: test["container"] as? String ?? "",
                                  parserOptions: options, typeCheck: false)
            guard let program = try? compile(source, in: env) else { continue }
            compiled.append(Compiled(id: test["id"] as? String ?? "?", source: source, program: program))
        }
        return compiled
    }()

    @Test func corpusIsLoaded() {
        // The fixture has ~1,300 non-proto tests; most must compile unchecked.
        #expect(Self.corpus.count > 800, "only \(Self.corpus.count) conformance expressions compiled")
    }

    @Test func everyModuleRoundTrips() throws {
        var failures: [String] = []
        for item in Self.corpus {
            let module = item.program.module
            let bytes = ModuleEncoder.encode(module)
            #expect(bytes == item.program.encoded)
            do {
                let decoded = try ModuleDecoder.decode(bytes)
                if decoded != module { failures.append("\(item.id): decoded module differs") }
                if ModuleEncoder.encode(decoded) != bytes { failures.append("\(item.id): re-encoding differs") }
                try Verifier.verify(decoded)
                let reloaded = try Program(bytes: bytes)
                if reloaded.module != module { failures.append("\(item.id): Program(bytes:) module differs") }
            } catch {
                failures.append("\(item.id): \(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.prefix(20).joined(separator: "\n"))")
    }

    /// A reloaded program evaluates exactly like the compiled one (same result, same fuel).
    @Test func reloadedProgramsEvaluateIdentically() throws {
        var differences: [String] = []
        for item in Self.corpus {
            let reloaded = try Program(bytes: item.program.encoded, limits: item.program.limits)
            let a = item.program.evaluate(), b = reloaded.evaluate()
            if a.result != b.result || a.fuelUsed != b.fuelUsed {
                differences.append("\(item.id): \(a.result)/\(a.fuelUsed) vs \(b.result)/\(b.fuelUsed)")
            }
        }
        #expect(differences.isEmpty, "\(differences.prefix(20).joined(separator: "\n"))")
    }

    /// About 50 modules spread over the corpus, favouring variety over size.
    static let sample: [Compiled] = {
        let candidates = corpus.filter { $0.program.encoded.count <= 400 }
        guard !candidates.isEmpty else { return [] }
        let stride = max(1, candidates.count / 50)
        return Swift.stride(from: 0, to: candidates.count, by: stride).prefix(50).map { candidates[$0] }
    }()

    @Test func sampleIsLarge() { #expect(Self.sample.count >= 40) }

    @Test(arguments: sample)
    func everyTruncationIsRejected(_ item: Compiled) {
        let bytes = item.program.encoded
        for length in 0..<bytes.count {
            let prefix = Array(bytes[0..<length])
            #expect(throws: ProgramLoadError.self, "\(item.id): truncation to \(length) of \(bytes.count) bytes loaded") {
                _ = try Program(bytes: prefix)
            }
        }
    }

    @Test func trailingGarbageIsRejected() throws {
        for item in Self.sample.prefix(10) {
            let bytes = item.program.encoded + [0]
            #expect(throws: ProgramLoadError.self, "\(item.id): trailing byte accepted") {
                _ = try Program(bytes: bytes)
            }
        }
    }

    @Test(arguments: sample)
    func everyBitFlipIsRejectedOrSafe(_ item: Compiled) {
        let bytes = item.program.encoded
        let limits = Limits(fuel: 10_000, memory: 1 << 20)
        var loaded = 0
        for index in 0..<bytes.count {
            for bit in 0..<8 {
                var corrupted = bytes
                corrupted[index] ^= UInt8(1 << bit)
                guard let program = try? Program(bytes: corrupted, limits: limits) else { continue }
                loaded += 1
                // Verified, so it must run to a value or a clean error/trap within its limits.
                let evaluation = program.evaluate()
                #expect(evaluation.fuelUsed <= limits.fuel, "\(item.id): flip \(index).\(bit) used \(evaluation.fuelUsed)")
                // And the module it loaded is itself a fixed point of encoding.
                #expect(ModuleEncoder.encode(program.module) == corrupted || program.module == (try? ModuleDecoder.decode(ModuleEncoder.encode(program.module))),
                        "\(item.id): flip \(index).\(bit) loaded a module that does not round trip")
            }
        }
        // Not asserting how many flips load: that depends on the format. But the original must.
        #expect((try? Program(bytes: bytes)) != nil)
        _ = loaded
    }

    @Test func emptyAndGarbageInputsAreRejected() {
        let inputs: [[UInt8]] = [[], [0], [0xFF], Array("SPECTRAL".utf8), Array(repeating: 0xFF, count: 64),
                                 Array(repeating: 0, count: 64)]
        for input in inputs {
            #expect(throws: ProgramLoadError.self) { _ = try Program(bytes: input) }
        }
    }
}
