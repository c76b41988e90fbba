import Foundation
import Spectral
import SpectralCompiler
import SpectralJSON
import SpectralTestSupport
@testable import SpectralSampling
@_spi(Testing) @testable import SpectralVM
import Testing

/// The direct binder against the general one it stands in front of (`JSONBinder`): for
/// every input the direct way binds, the general way binds the same values (strings,
/// numbers as their declared types, lists, maps with the same layout and fields); and for
/// every input the general way refuses, the direct way misses, so that the general way's
/// errors are what a caller sees. Inputs: schema-valid samples from the authoring agent's
/// generator (which lean to the schemas' edges), each leaf of them replaced by values of
/// other kinds, and truncations of their bytes.
@Suite("Direct schema binder: the general binder's results, or a miss")
struct DirectSchemaBinderTests {
    let declarations: [String: InputDeclaration] = [
        "txn": try! InputDeclaration.parse(paymentSchema),
        // Undeclared members bound as dyn, and a member whose schema takes any value.
        "extra": try! InputDeclaration.parse(#"{"type": "object", "properties": {"any": {}}}"#),
        "level": try! InputDeclaration.parse(#"{"type": ["integer", "null"], "minimum": -3, "maximum": 3}"#),
        "limit": InputDeclaration(type: .int),
        "tags": InputDeclaration(type: .list(.string)),
    ]

    func program() throws -> Program {
        try compile("size([txn]) + size([level]) + size([limit]) + size([tags]) + size([extra]) == 5",
                    in: Environment(declared: declarations))
    }

    func samples(_ count: Int) -> [JSONValue] {
        var generator = SampleInputGenerator(declarations: declarations, examples: [])
        return generator.samples(count: count).map { sample in
            // A member the program does not use, which both ways validate and skip.
            guard case .object(var members) = sample else { return sample }
            members.append(("unused", ["deep": [1, 2, ["x": nil]]]))
            return .object(members)
        }
    }

    enum Outcome: Equatable {
        case bound
        case missed
        case refused
    }

    /// Binds `bytes` both ways, each on a fresh machine, and checks they agree; what the direct way did.
    @discardableResult
    func compare(_ bytes: [UInt8], _ program: Program, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Outcome {
        var direct = program.makeMachine()
        return compare(bytes, program, reusing: &direct, sourceLocation: sourceLocation)
    }

    /// The same, the direct way on `direct`, a machine that may have bound other inputs before.
    @discardableResult
    func compare(_ bytes: [UInt8], _ program: Program, reusing direct: inout Machine,
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Outcome {
        var general = program.makeMachine()
        let generalResult = Result { () throws(JSONBinder.BindingError) in
            try JSONBinder.bind(bytes, into: &general, limits: JSONLimits(), direct: false)
        }
        direct.beginBinding()
        guard let work = DirectSchemaBinder.bind(bytes, into: &direct, limits: JSONLimits()) else {
            if case .success = generalResult { return .missed }
            return .refused
        }
        guard case .success(let generalWork) = generalResult else {
            Issue.record("the direct binder bound what the general one refuses: \(String(decoding: bytes, as: UTF8.self))",
                         sourceLocation: sourceLocation)
            return .bound
        }
        #expect(work == generalWork, sourceLocation: sourceLocation)
        for slot in direct.variables.indices {
            let same = Self.same(direct.variables[slot], direct.heap, general.variables[slot], general.heap)
            #expect(same, "variable \(program.executable.module.variables[slot]) differs for \(String(decoding: bytes, as: UTF8.self))",
                    sourceLocation: sourceLocation)
        }
        return .bound
    }

    /// Values equal across two heaps, maps including their layout and fields present.
    static func same(_ a: Value, _ heapA: Heap, _ b: Value, _ heapB: Heap) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            return Array(heapA.string(x).utf8) == Array(heapB.string(y).utf8)
        case (.list(let x), .list(let y)):
            let (p, q) = (heapA.list(x), heapB.list(y))
            return p.count == q.count && zip(p, q).allSatisfy { same($0, heapA, $1, heapB) }
        case (.map(let x), .map(let y)):
            let (p, q) = (heapA.map(x), heapB.map(y))
            return p.layout == q.layout && p.present == q.present && p.count == q.count
                && zip(p.keys, q.keys).allSatisfy { same($0, heapA, $1, heapB) }
                && zip(p.values, q.values).allSatisfy { same($0, heapA, $1, heapB) }
        case (.error(let x), .error(let y)):
            return heapA.errorMessage(x) == heapB.errorMessage(y)
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.uint(let x), .uint(let y)): return x == y
        case (.double(let x), .double(let y)): return x.bitPattern == y.bitPattern
        case (.timestamp(let s, let n), .timestamp(let t, let m)): return s == t && n == m
        default: return false
        }
    }

    @Test("schema-valid samples bind the direct way, to what the general way binds")
    func validSamples() throws {
        let program = try program()
        var outcomes: [Outcome: Int] = [:]
        for sample in samples(200) {
            let bytes = sample.serializedBytes()
            let outcome = compare(bytes, program)
            outcomes[outcome, default: 0] += 1
            // Only an escape in a string sends a valid input the general way.
            if outcome == .missed && !bytes.contains(UInt8(ascii: "\\")) {
                Issue.record("a valid input without escapes missed: \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(outcomes[.refused] == nil, "every sample is valid: \(outcomes)")
        #expect(outcomes[.bound, default: 0] >= 150, "most samples go the direct way: \(outcomes)")
    }

    /// A machine keeps its binding stack from one input to the next, and an object's slots
    /// are not cleared between inputs: a slot the last input filled, and this one leaves
    /// out, must never be read. A copied machine shares the stack until it binds.
    @Test("one machine binds input after input of varying shape, and a copy of it binds on a stack of its own")
    func reusedMachine() throws {
        let program = try program()
        var machine = program.makeMachine()
        var bound = 0
        for sample in samples(150) where compare(sample.serializedBytes(), program, reusing: &machine) == .bound { bound += 1 }
        #expect(bound >= 100, "most samples go the direct way")

        // A history longer than the stack's first capacity (64): the stack grows mid-array,
        // below the object whose slots it holds.
        let history = JSONValue.array((0..<300).map { .number(JSONNumber("\($0)")!) })
        let sample = try #require(samples(1).first)
        guard case .object(var members) = sample, let txn = members.firstIndex(where: { $0.0 == "txn" }),
              case .object(var fields) = members[txn].1 else { Issue.record("a sample has a txn object"); return }
        fields.removeAll { $0.0 == "history" }
        fields.insert(("history", history), at: 0)
        members[txn].1 = .object(fields)
        #expect(compare(JSONValue.object(members).serializedBytes(), program, reusing: &machine) == .bound)

        var copy = machine
        for (index, sample) in samples(40).enumerated() {
            if index.isMultiple(of: 2) {
                compare(sample.serializedBytes(), program, reusing: &copy)
            } else {
                compare(sample.serializedBytes(), program, reusing: &machine)
            }
        }
    }

    @Test("each leaf replaced by another kind of value: the same values, or a miss where the general way refuses")
    func replacedLeaves() throws {
        let program = try program()
        let replacements: [JSONValue] = [
            nil, true, 0, -1, 7, 2.5, .number(JSONNumber("1e400")!), .number(JSONNumber("12345678901234567890")!),
            .number(JSONNumber("-9223372036854775809")!), "", "GBP", "x\\\"y",
            "2024-05-01T10:00:00Z", "10.1.2.3", "::1", "ünïcødé", [], [1], [:], ["qty": 3], ["id": "p"],
        ]
        var outcomes: [Outcome: Int] = [:]
        for sample in samples(12) {
            for path in sample.leafPaths() {
                for replacement in replacements {
                    outcomes[compare(sample.replacing(at: path, with: replacement).serializedBytes(), program), default: 0] += 1
                }
            }
        }
        // Both kinds happen: the comparison above is not vacuous either way.
        #expect(outcomes[.bound, default: 0] > 100 && outcomes[.refused, default: 0] > 100, "\(outcomes)")
    }

    @Test("members added, removed and repeated; documents truncated and padded")
    func structuralChanges() throws {
        let program = try program()
        let bytes = try #require(samples(1).first).serializedBytes()
        var refused = 0
        for end in 0..<bytes.count where compare(Array(bytes[..<end]), program) == .refused { refused += 1 }
        #expect(refused == bytes.count, "every truncation is refused")
        #expect(compare(Array(" \n\t".utf8) + bytes + Array(" \r\n".utf8), program) == .bound)
        #expect(compare(bytes + Array("x".utf8), program) == .refused)
        #expect(compare(bytes + Array("{}".utf8), program) == .refused)

        let text = String(decoding: bytes, as: UTF8.self)
        // The writer is compact: `"key":value`, members separated by `,`.
        let variants = [
            text.replacingOccurrences(of: #""limit":"#, with: #""limit":1,"limit":"#),             // a repeated variable
            text.replacingOccurrences(of: #""unused":"#, with: #""unused":1,"unused":"#),          // a repeated unused member
            text.replacingOccurrences(of: #""currency":"#, with: #""surprise":1,"currency":"#),    // additionalProperties false
            text.replacingOccurrences(of: #""currency":"#, with: #""currency":"USD","currency":"#), // a repeated field
            text.replacingOccurrences(of: #""limit":"#, with: #""limit":"seven","lim":"#),         // a wrong type
            text.replacingOccurrences(of: #""txn":"#, with: #""t\u0078n":"#),                     // an escaped key
        ]
        for variant in variants {
            #expect(variant != text, "the variant changes the sample")
            #expect(compare(Array(variant.utf8), program) != Outcome.bound, "\(variant)")
        }
    }
}
