import Spectral
import Testing

/// `maxItems`/`maxProperties` bound the static cost of comprehensions over inputs, so a
/// predicate over bounded inputs gets a finite cost bound the cost budget can judge.
@Suite struct SchemaCostBoundTests {
    static func schema(maxItems: Int?, innerMaxItems: Int? = 4) -> String {
        let inner = innerMaxItems.map { #", "maxItems": \#($0)"# } ?? ""
        let outer = maxItems.map { #", "maxItems": \#($0)"# } ?? ""
        return #"""
            {"type": "object", "required": ["items"], "properties": {
              "items": {"type": "array"\#(outer), "items": {"type": "object", "required": ["qty", "tags"], "properties": {
                "qty": {"type": "integer"},
                "tags": {"type": "array"\#(inner), "items": {"type": "string"}}}}},
              "labels": {"type": "object", "maxProperties": 3, "additionalProperties": {"type": "string"}}}}
            """#
    }

    func program(_ source: String, maxItems: Int?, innerMaxItems: Int? = 4) throws -> Program {
        try compile(source, in: Environment(declaring: ["txn": Self.schema(maxItems: maxItems, innerMaxItems: innerMaxItems)]))
    }

    @Test func boundedRangesGiveAFiniteBoundThatHolds() throws {
        let loop = "txn.items.all(i, i.qty > 0)"
        let bounded = try program(loop, maxItems: 10)
        #expect(bounded.module.costBound != .max)
        #expect(try program(loop, maxItems: nil).module.costBound == .max)
        // Twice the elements allowed: a larger bound, by about the loop body's cost per element.
        let larger = try program(loop, maxItems: 20)
        #expect(larger.module.costBound > bounded.module.costBound)
        // The bound holds on the largest input the schema admits.
        let items = Array(repeating: #"{"qty": 1, "tags": []}"#, count: 10).joined(separator: ", ")
        let evaluation = bounded.evaluate(json: Array(#"{"txn": {"items": [\#(items)]}}"#.utf8))
        #expect(evaluation.result == .success(.bool(true)))
        #expect(evaluation.fuelUsed <= bounded.module.costBound)
        #expect(evaluation.fuelUsed > 10)
    }

    @Test func nestedLoopsMultiplyAndEveryRangeMustBeBounded() throws {
        let nested = "txn.items.exists(i, i.tags.exists(t, t == 'x'))"
        let both = try program(nested, maxItems: 10, innerMaxItems: 4)
        #expect(both.module.costBound != .max)
        #expect(try program(nested, maxItems: 10, innerMaxItems: nil).module.costBound == .max)
        #expect(try program(nested, maxItems: nil, innerMaxItems: 4).module.costBound == .max)
        let tags = Array(repeating: "'y'", count: 4).joined(separator: ", ").replacingOccurrences(of: "'", with: "\"")
        let items = Array(repeating: #"{"qty": 1, "tags": [\#(tags)]}"#, count: 10).joined(separator: ", ")
        let evaluation = both.evaluate(json: Array(#"{"txn": {"items": [\#(items)]}}"#.utf8))
        #expect(evaluation.result == .success(.bool(false)))
        #expect(evaluation.fuelUsed <= both.module.costBound)
        // A map's maxProperties bounds a loop over its keys; a literal range keeps no loop bound of its own.
        #expect(try program("txn.labels.all(k, k != '')", maxItems: nil).module.costBound != .max)
        #expect(try program("txn.items.map(i, i.qty).size() > 0 && [1, 2].all(x, x > 0)", maxItems: 3).module.costBound == .max)
    }
}
