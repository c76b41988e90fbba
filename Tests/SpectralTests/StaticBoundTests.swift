import Spectral
import Testing

/// The static cost bound covers the work the VM charges by size (comparisons, membership,
/// concatenation, what is allocated, library calls): for each case, the largest input the
/// schema admits uses no more fuel than the bound. Where a size the work depends on is
/// unknown, or the work is not priced, the bound is unknown rather than wrong.
@Suite struct StaticBoundTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var source: String
        /// Declarations: a JSON Schema per variable.
        var schemas: [String: String]
        /// The largest input: every string at its `maxLength`, every list at its `maxItems`.
        var input: String
        var testDescription: String { source }
    }

    static let note = #"{"type": "string", "maxLength": 40}"#
    static let tags = #"{"type": "array", "maxItems": 6, "items": {"type": "string", "maxLength": 40}}"#
    static let long = String(repeating: "x", count: 40)
    static let longTags = "[" + Array(repeating: "\"\(long)\"", count: 6).joined(separator: ", ") + "]"

    static let bounded: [Case] = [
        // The same string on both sides: compared in full.
        Case(source: "a == b", schemas: ["a": note, "b": note], input: #"{"a": "\#(long)", "b": "\#(long)"}"#),
        Case(source: "a != b", schemas: ["a": note, "b": note], input: #"{"a": "\#(long)", "b": "\#(long)"}"#),
        Case(source: "a <= b", schemas: ["a": note, "b": note], input: #"{"a": "\#(long)", "b": "\#(long)"}"#),
        Case(source: "a in t", schemas: ["a": note, "t": tags], input: #"{"a": "y", "t": \#(longTags)}"#),
        Case(source: "size(a + b + a) > 0", schemas: ["a": note, "b": note], input: #"{"a": "\#(long)", "b": "\#(long)"}"#),
        Case(source: "size(t + t + [a]) == 13", schemas: ["a": note, "t": tags], input: #"{"a": "y", "t": \#(longTags)}"#),
        Case(source: "t.map(x, [x, x]).size() == 6", schemas: ["t": tags], input: #"{"t": \#(longTags)}"#),
        Case(source: "t.filter(x, x == a).size() == 6", schemas: ["a": note, "t": tags], input: #"{"a": "\#(long)", "t": \#(longTags)}"#),
        // A loop over a map's or a filter's result runs at most as often as one over its range.
        Case(source: "t.filter(x, x == a).map(x, x == a).all(n, n)", schemas: ["a": note, "t": tags],
             input: #"{"a": "\#(long)", "t": \#(longTags)}"#),
        Case(source: "[a, b, a] == [b, a, b] && {a: 1} == {b: 1}", schemas: ["a": note, "b": note],
             input: #"{"a": "\#(long)", "b": "\#(long)"}"#),
        Case(source: "optional.of(a).orValue('') == a && string(size(a)) == '40'", schemas: ["a": note],
             input: #"{"a": "\#(long)"}"#),
        Case(source: "cel.bind(l, [a, b], l.exists(x, x == a + b))", schemas: ["a": note, "b": note],
             input: #"{"a": "\#(long)", "b": "\#(long)"}"#),
        Case(source: "math.greatest([size(a), 3, 4]) > 0 && ip('10.0.0.1').family() == 4", schemas: ["a": note],
             input: #"{"a": "\#(long)"}"#),
        // A replacement at every byte; between every two scalars; every byte escaped.
        Case(source: "a.replace('x', b) != ''", schemas: ["a": note, "b": note], input: #"{"a": "\#(long)", "b": "\#(long)"}"#),
        Case(source: "a.replace('', b) != ''", schemas: ["a": note, "b": note], input: #"{"a": "\#(long)", "b": "\#(long)"}"#),
        Case(source: "strings.quote(a) != ''", schemas: ["a": note],
             input: #"{"a": "\#(String(repeating: "\\n", count: 40))"}"#),
        // Measuring what a function made: a conversion's longest text, a replacement's.
        Case(source: "size(string(-9223372036854775807 + size(a))) > 0 && size(string(1.0e-300)) > 0",
             schemas: ["a": note], input: #"{"a": "\#(long)"}"#),
        Case(source: "a.replace('x', b).replace('x', b).contains(b)", schemas: ["a": note, "b": note],
             input: #"{"a": "\#(long)", "b": "\#(long)"}"#),
        Case(source: "[a, b, a].join(b) != ''", schemas: ["a": note, "b": note], input: #"{"a": "\#(long)", "b": "\#(long)"}"#),
    ]

    @Test(arguments: bounded) func theLargestInputStaysUnderTheBound(_ c: Case) throws {
        let program = try compile(c.source, in: Environment(declaring: c.schemas))
        #expect(program.module.costBound != .max)
        let evaluation = program.evaluate(json: Array(c.input.utf8))
        guard case .success = evaluation.result else {
            Issue.record("\(c.source) failed: \(evaluation.result)")
            return
        }
        #expect(evaluation.fuelUsed <= program.module.costBound, "\(evaluation.fuelUsed) > \(program.module.costBound)")
    }

    static let free = #"{"type": "string"}"#
    static let freeList = #"{"type": "array", "items": {"type": "string"}}"#

    /// Work that depends on a size nothing bounds, or that is not priced.
    @Test(arguments: [
        ("a == b", ["a": free, "b": free]),
        ("a < b", ["a": free, "b": free]),
        ("'x' in l", ["l": freeList]),
        ("size(a + 'x') > 0", ["a": free]),
        ("'%s'.format([a]) == ''", ["a": note]),
        ("t.join() == ''", ["t": tags]),
        ("strings.quote(a) == ''", ["a": free]),
    ])
    func anUnknownSizeOrAnUnpricedFunctionLeavesTheBoundUnknown(_ source: String, _ schemas: [String: String]) throws {
        #expect(try compile(source, in: Environment(declaring: schemas)).module.costBound == .max)
    }

    /// A comparison with a constant costs at most the constant's size whatever the input's:
    /// strings of different lengths differ without being read, and an ordering reads at
    /// most the shorter one.
    @Test func comparingWithAConstantIsBoundedByTheConstant() throws {
        for source in ["a == 'admin'", "a != 'admin'", "a < 'admin'", "a in ['admin', 'ops']"] {
            let program = try compile(source, in: Environment(declaring: ["a": Self.free]))
            #expect(program.module.costBound != .max, "\(source)")
            let short = program.evaluate(json: Array(#"{"a": "x"}"#.utf8))
            let huge = program.evaluate(json: Array(#"{"a": "\#(String(repeating: "y", count: 100_000))"}"#.utf8))
            #expect(huge.fuelUsed == short.fuelUsed, "\(source): \(huge.fuelUsed) against \(short.fuelUsed)")
            #expect(huge.fuelUsed <= program.module.costBound)
        }
    }
}
