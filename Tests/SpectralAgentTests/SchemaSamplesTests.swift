import Spectral
@testable import SpectralAgent
@testable import SpectralSampling
import SpectralCatalog
import SpectralTestSupport
import Testing

/// Inputs declared by JSON Schema: generated samples are valid (the real binder says so)
/// and reach the schema's edges, and the degeneracy check uses them.
@Suite("Authoring agent: schema-valid sample inputs")
struct SchemaSamplesTests {
    let declarations: [String: InputDeclaration] = [
        "txn": try! InputDeclaration.parse(paymentSchema),
        "level": try! InputDeclaration.parse(#"{"type": ["integer", "null"], "minimum": -3, "maximum": 3}"#),
        "limit": InputDeclaration(type: .int),
    ]

    /// Reads every declared input, so binding validates each one, and is always true.
    func bindingProgram() throws -> Program {
        try compile("size([txn]) + size([level]) + size([limit]) == 3", in: Environment(declared: declarations))
    }

    func samples(count: Int = 256, examples: [JSONValue] = []) -> [JSONValue] {
        var generator = SampleInputGenerator(declarations: declarations, examples: examples)
        return generator.samples(count: count)
    }

    @Test("every generated sample binds through the real program: no invalid_input, with or without examples")
    func everySampleBinds() throws {
        let program = try bindingProgram()
        let example: JSONValue = [
            "txn": ["amount": 250.5, "currency": "EUR", "items": [["qty": 2, "sku": "ab"]], "at": "2024-05-01T10:00:00Z",
                    "payer": ["id": "p1", "tier": "gold"], "ip": "10.1.2.3", "flags": ["vip": true]],
            "level": 2, "limit": 7,
        ]
        for examples in [[], [example]] {
            let generated = samples(examples: examples)
            #expect(generated.count == 256)
            for sample in generated {
                let result = program.evaluate(json: sample.serializedBytes()).result
                #expect(result == .success(.bool(true)), "\(sample.serialized())")
            }
        }
    }

    @Test("the rarer shapes bind too: a top-level array with maxItems 0, additionalProperties true, nullable objects and arrays, const, null, a mixed enum, an optional field no value meets")
    func rarerShapes() throws {
        let declared: [String: InputDeclaration] = [
            "a": try InputDeclaration.parse(#"{"type": "array", "maxItems": 0, "items": {"type": "integer"}}"#),
            "b": try InputDeclaration.parse(#"""
                {"type": "object", "additionalProperties": true, "properties": {
                  "z": {"type": "null"}, "c": {"const": 2.5}, "m": {"enum": ["x", 1, null]},
                  "o": {"type": ["object", "null"], "properties": {"k": {"type": "boolean"}}},
                  "l": {"type": ["array", "null"], "items": {"type": "string", "enum": ["p", "q"]}},
                  "u": {"type": "integer", "minimum": 1e300}}}
                """#),
        ]
        let program = try compile("size([a]) + size([b]) == 2", in: Environment(declared: declared))
        var generator = SampleInputGenerator(declarations: declared, examples: [])
        let generated = generator.samples(count: 64)
        #expect(generated.count == 64)
        for sample in generated {
            #expect(program.evaluate(json: sample.serializedBytes()).result == .success(.bool(true)), "\(sample.serialized())")
        }
        let bs = generated.compactMap { $0["b"] }
        #expect(generated.allSatisfy { $0["a"] == [] })
        #expect(bs.allSatisfy { $0["u"] == nil } && bs.allSatisfy { $0["c"].map { $0 == 2.5 } ?? true })
        #expect(bs.contains { $0["o"] == .null } && bs.contains { $0["o"]?.objectValue != nil })
        #expect(bs.contains { $0["l"] == .null } && bs.contains { ($0["l"]?.arrayValue?.count ?? 0) > 0 })
        #expect(bs.contains { $0["m"] == .null } && bs.contains { $0["m"] == "x" } && bs.contains { $0["m"] == 1 })
        let declaredNames: Set<String> = ["z", "c", "m", "o", "l", "u"]
        #expect(bs.contains { ($0.objectValue ?? []).contains { !declaredNames.contains($0.0) } }, "extra members under additionalProperties: true")
    }

    @Test("samples are deterministic")
    func deterministic() {
        #expect(samples(count: 64) == samples(count: 64))
    }

    @Test("samples reach the edges: empty and maximal arrays, every enum member, optional fields absent and present, bounds, null")
    func boundaries() throws {
        let generated = samples(count: 128)
        let txns = generated.compactMap { $0["txn"] }
        func values(_ path: String...) -> [JSONValue] {
            txns.compactMap { txn in path.reduce(Optional(txn)) { $0?[$1] } }
        }
        let itemCounts = Set(values("items").compactMap { $0.arrayValue?.count })
        #expect(itemCounts.contains(0) && itemCounts.contains(5) && itemCounts.allSatisfy { $0 <= 5 })
        #expect(Set(values("currency").compactMap(\.stringValue)) == ["USD", "EUR", "GBP"])
        #expect(Set(values("payer", "tier").compactMap(\.stringValue)) == ["gold", "silver"])
        #expect(Set(values("labels", "kind").compactMap(\.stringValue)) == ["retail"])

        // Optional fields: absent in some samples, present in others; nullable: null too.
        #expect(txns.contains { $0["note"] == nil } && txns.contains { $0["note"]?.stringValue != nil })
        #expect(txns.contains { $0["note"] == .null })
        #expect(txns.contains { $0["ip"] == nil } && txns.contains { $0["ip"] != nil })

        // Bounds: the minimum and the maximum themselves, nothing outside.
        let amounts = values("amount").compactMap { $0.doubleValue }
        #expect(amounts.contains(0) && amounts.contains(10000) && amounts.allSatisfy { (0...10000).contains($0) })
        let quantities = txns.flatMap { $0["items"]?.arrayValue ?? [] }.compactMap { $0["qty"]?.int64Value }
        #expect(quantities.contains(1) && quantities.contains(99) && quantities.allSatisfy { (1...99).contains($0) })
        let levels = generated.compactMap { $0["level"] }
        #expect(levels.contains(.null) && levels.contains(-3) && levels.contains(3))

        // Formats: date-times at both ends of CEL's range, addresses of each family.
        let instants = Set(values("at").compactMap(\.stringValue))
        #expect(instants.contains("0001-01-01T00:00:00Z") && instants.contains("9999-12-31T23:59:59Z"))
        #expect(values("ip").compactMap(\.stringValue).allSatisfy(InputSchema.StringFormat.ipv4.admits))
        #expect(values("ip6").compactMap(\.stringValue).contains("::1"))
        #expect(values("payer", "id").compactMap(\.stringValue).allSatisfy { $0.count <= 8 })

        // additionalProperties: a schema gives extra members of its type, within maxProperties.
        let flags = values("flags").compactMap(\.objectValue)
        #expect(flags.contains { !$0.isEmpty } && flags.allSatisfy { $0.count <= 2 && $0.allSatisfy { $0.1.boolValue != nil } })
        // Absent additionalProperties: other members are accepted, and shown.
        #expect(values("labels").compactMap(\.objectValue).contains { $0.contains { $0.0 != "kind" } })
        // A very large maxItems is capped.
        let histories = values("history").compactMap { $0.arrayValue?.count }
        #expect(histories.contains(SchemaSampler.longestArray >> 1) && histories.allSatisfy { $0 <= SchemaSampler.longestArray })
    }

    @Test("the first two samples are the minimal and the maximal input")
    func minimalAndMaximal() throws {
        let generated = samples(count: 2)
        let minimal = try #require(generated.first?["txn"]?.objectValue)
        #expect(minimal.map(\.0).sorted() == ["amount", "at", "currency", "items", "payer"])
        #expect(generated[0]["level"] == .null)
        let maximal = try #require(generated.last?["txn"]?.objectValue)
        #expect(maximal.count == 12, "every declared field, no others (additionalProperties: false)")
        #expect(generated[1]["txn"]?["items"]?.arrayValue?.count == 5)
    }

    @Test("a schema no value meets gives no samples rather than invalid ones")
    func unsatisfiable() throws {
        let impossible = try InputDeclaration.parse(#"{"type": "integer", "minimum": 0.2, "maximum": 0.8}"#)
        var generator = SampleInputGenerator(declarations: ["n": impossible], examples: [])
        #expect(generator.samples(count: 16).isEmpty)
    }

    @Test("degeneracy over schema inputs: constant within the schema is flagged, real predicates pass")
    func degeneracy() throws {
        let examples = [
            PredicateTest(input: ["txn": ["amount": 250.5, "currency": "EUR", "items": [], "at": "2024-05-01T10:00:00Z",
                                          "payer": ["id": "p1"]], "level": 1, "limit": 3], expect: true),
        ]
        func findings(_ source: String) throws -> [String] {
            let program = try compile(source, in: Environment(declared: declarations))
            return DegeneracyCheck().findings(declarations: declarations, program: program, examples: examples).map(\.message)
        }
        let reads = " && level != 9 && limit != 123456"
        // Always true for every input the schema admits: the enum, the minimum, maxItems.
        for constant in ["txn.currency in ['USD', 'EUR', 'GBP']", "txn.amount >= 0.0", "size(txn.items) <= 5",
                         "txn.items.all(i, i.qty >= 1)"] {
            let found = try findings(constant + reads)
            #expect(found.count == 1 && found[0].hasPrefix("the expression is constant"), "\(constant): \(found)")
        }
        for real in ["txn.currency == 'EUR'", "txn.amount > 100.0", "size(txn.items) == 5", "has(txn.note)",
                     "txn.items.exists(i, i.qty == 99)", "txn.at < timestamp('2000-01-01T00:00:00Z')",
                     "has(txn.payer.tier) && txn.payer.tier == 'silver'"] {
            #expect(try findings(real + reads).isEmpty, "\(real)")
        }
    }
}
