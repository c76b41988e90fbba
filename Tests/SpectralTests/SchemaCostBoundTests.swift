import Foundation
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
        // A map's maxProperties bounds a loop over its keys, and a literal range its own size.
        #expect(try program("txn.labels.all(k, k != '')", maxItems: nil).module.costBound != .max)
        let literal = try program("txn.items.map(i, i.qty).size() > 0 && [1, 2].all(x, x > 0)", maxItems: 3)
        #expect(literal.module.costBound != .max)
        #expect(try program("txn.items.map(i, i.qty).size() > 0 && [1, 2].all(x, x > 0)", maxItems: nil).module.costBound == .max)
        let three = Array(repeating: #"{"qty": 1, "tags": []}"#, count: 3).joined(separator: ", ")
        let run = literal.evaluate(json: Array(#"{"txn": {"items": [\#(three)]}}"#.utf8))
        #expect(run.result == .success(.bool(true)))
        #expect(run.fuelUsed <= literal.module.costBound)
    }

    /// Every predicate of the standard workload, typed by its schemas, has a known bound,
    /// and its input stays under it.
    @Test func everyTypedWorkloadPredicateIsBoundedAndItsInputStaysUnder() throws {
        let url = repositoryRoot.appendingPathComponent("Fixtures/bench/predicates.json")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]])
        #expect(entries.count >= 10)
        for entry in entries {
            let name = try #require(entry["name"] as? String), source = try #require(entry["expr"] as? String)
            let schemas = try #require(entry["schema"] as? [String: Any], "\(name) has no schema")
            var declarations: [String: String] = [:]
            for (variable, schema) in schemas {
                declarations[variable] = String(decoding: try JSONSerialization.data(withJSONObject: schema), as: UTF8.self)
            }
            let program = try compile(source, in: Environment(declaring: declarations))
            let input = try JSONSerialization.data(withJSONObject: try #require(entry["input"]))
            let evaluation = program.evaluate(json: Array(input))
            #expect(program.module.costBound != .max, "\(name): unknown bound")
            #expect(evaluation.fuelUsed <= program.module.costBound, "\(name): \(evaluation.fuelUsed) > \(program.module.costBound)")
        }
    }

    static func noteProgram(_ source: String, maxLength: Int?) throws -> Program {
        let limit = maxLength.map { #", "maxLength": \#($0)"# } ?? ""
        let schema = #"{"type": "object", "required": ["note"], "properties": {"note": {"type": "string"\#(limit)}}}"#
        return try compile(source, in: Environment(declaring: ["txn": schema]))
    }

    /// `maxLength` bounds the static cost of string functions over the string, which the
    /// VM charges by its bytes: without it, their cost depends on input sizes.
    @Test(arguments: ["txn.note.contains('x')", "txn.note.size() < 50", "size(txn.note) < 50", "txn.note.lowerAscii().contains('ab')",
                      "txn.note.split(',').size() > 3", "txn.note.matches('^[a-z]+$')", "txn.note.indexOf('x') > 2",
                      "txn.note.substring(1).endsWith('z')", "txn.note.trim().upperAscii() == 'A'"])
    func maxLengthBoundsStringFunctions(_ source: String) throws {
        let bounded = try Self.noteProgram(source, maxLength: 100)
        #expect(bounded.module.costBound != .max, "\(source)")
        #expect(try Self.noteProgram(source, maxLength: nil).module.costBound == .max, "\(source)")
        #expect(try Self.noteProgram(source, maxLength: 200).module.costBound > bounded.module.costBound, "\(source)")
        // The bound holds on the largest strings the schema admits: 100 four-byte scalars,
        // 100 separators (101 pieces), 100 ASCII letters.
        for note in [String(repeating: "\u{1F600}", count: 100), String(repeating: ",", count: 100), String(repeating: "a", count: 100)] {
            let evaluation = bounded.evaluate(json: Array(#"{"txn": {"note": "\#(note)"}}"#.utf8))
            guard case .success = evaluation.result else {
                Issue.record("\(source): \(evaluation.result)")
                continue
            }
            #expect(evaluation.fuelUsed <= bounded.module.costBound, "\(source) on \(note.prefix(3)): \(evaluation.fuelUsed) > \(bounded.module.costBound)")
        }
    }

    /// What a function is priced by decides: `startsWith` reads only as much of the
    /// string as its prefix, so a literal prefix bounds it whatever the string's size;
    /// inside a bounded loop, the work counts once per element.
    @Test func pricesFollowWhatEachFunctionReads() throws {
        #expect(try Self.noteProgram("txn.note.startsWith('ab')", maxLength: nil).module.costBound != .max)
        #expect(try Self.noteProgram("'abc'.contains('b') && txn.note == 'x'", maxLength: nil).module.costBound != .max)
        func order(itemMaxLength: Int?) throws -> Environment {
            let limit = itemMaxLength.map { #", "maxLength": \#($0)"# } ?? ""
            return try Environment(declaring: ["order": #"{"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "maxItems": 10, "items": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"\#(limit)}}}}}}"#])
        }
        let loop = try compile("order.items.exists(i, i.name.contains('x'))", in: try order(itemMaxLength: 8))
        let once = try compile("order.items.size() > 0 && order.items[0].name == 'x'", in: try order(itemMaxLength: 8))
        #expect(loop.module.costBound != .max && once.module.costBound != .max)
        #expect(loop.module.costBound > once.module.costBound)
        #expect(try compile("order.items.exists(i, i.name.contains('x'))", in: try order(itemMaxLength: nil)).module.costBound == .max)
    }
}
