import Foundation
import Spectral
@testable import SpectralAgent
@testable import SpectralSampling
import SpectralCatalog
import Testing

@Suite("Authoring agent: extraction, prompt, task, degeneracy")
struct AgentPartsTests {
    @Test("the expression is found in fenced, back-quoted, labelled and bare answers", arguments: [
        ("```cel\nage >= 18\n```", "age >= 18"),
        ("Sure! Here it is:\n```\na &&\n  b\n```\nThis checks both.", "a &&\n  b"),
        ("`x > 1`", "x > 1"),
        ("Expression: x > 1", "x > 1"),
        ("  x in [1, 2]  \n", "x in [1, 2]"),
    ])
    func extraction(answer: String, expected: String) {
        #expect(ExpressionExtractor.extract(from: answer) == expected)
    }

    @Test("an empty answer or an empty block holds no expression")
    func noExpression() {
        #expect(ExpressionExtractor.extract(from: "  \n ") == nil)
        #expect(ExpressionExtractor.extract(from: "```cel\n```") == nil)
    }

    @Test("the prompt's grammar is the one in Sources/SpectralAgent/Grammar/")
    func embeddedGrammarIsCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let ebnf = try String(contentsOf: root.appendingPathComponent("Sources/SpectralAgent/Grammar/cel.ebnf"), encoding: .utf8)
        let semantics = try String(contentsOf: root.appendingPathComponent("Sources/SpectralAgent/Grammar/SEMANTICS.md"), encoding: .utf8)
        #expect(EmbeddedGrammar.ebnf + "\n" == ebnf)
        #expect(EmbeddedGrammar.semantics + "\n" == semantics)
    }

    @Test("the function list is rendered from the checker's declarations")
    func functionCatalogue() {
        let lines = FunctionCatalogue.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("string.contains(string) -> bool"))
        #expect(lines.contains("size(list(A)) -> int"))
        #expect(lines.contains("timestamp.getFullYear(string) -> int"))
        #expect(!lines.contains { $0.hasPrefix("_") || $0.hasPrefix("@") })
    }

    @Test("a task file is read strictly")
    func taskFromJSON() throws {
        let task = try AuthoringTask(json: JSONValue.parse(#"""
            {"name": "adult", "intent": "18 or older", "declarations": {"age": "int"},
             "examples": [{"input": {"age": 20}, "expect": true}]}
            """#))
        #expect(task.declarations == ["age": "int"])
        #expect(task.examples.count == 1)
        #expect(task.request(source: "age >= 18", author: "a").tests == task.examples)
        #expect(task.request(source: "age >= 18", author: "a").description == "18 or older")
        for (json, message) in [
            (#"{"intent": "x"}"#, "\"name\""),
            (#"{"name": "1bad", "intent": "x"}"#, "invalid predicate name"),
            (#"{"name": "a", "intent": " "}"#, "the intent is empty"),
            (#"{"name": "a", "intent": "x", "declarations": {"v": "lst(int)"}}"#, "declaration of 'v'"),
            (#"{"name": "a", "intent": "x", "examples": [{"expect": true}]}"#, "test 1"),
            // Caught before any model is asked: no expression can pass an example that does not bind.
            (#"{"name": "a", "intent": "x", "declarations": {"age": "int"}, "examples": [{"input": {"age": "20"}, "expect": true}]}"#,
             "test 1: the input does not fit the declarations"),
        ] {
            let parsed = try JSONValue.parse(json)
            let error = #expect(throws: PredicateDefinitionError.self, "\(json)") { try AuthoringTask(json: parsed) }
            #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        }
    }

    @Test("degeneracy: constant and unread inputs are found; real predicates pass")
    func degeneracy() throws {
        let declarations: [String: CELType] = ["user": .map(.string, .dyn), "limit": .int]
        let examples = [PredicateTest(input: ["user": ["age": 20, "tier": "gold"], "limit": 3], expect: true)]
        func findings(_ source: String) throws -> [String] {
            let program = try compile(source, in: Environment(variables: declarations))
            return DegeneracyCheck().findings(declarations: declarations.mapValues { InputDeclaration(type: $0) },
                                              program: program, examples: examples)
                .map(\.message)
        }
        #expect(try findings("user.age >= 18 && limit > 0").isEmpty)
        // A dyn input is reached through the examples' shape: mutations change `tier`.
        #expect(try findings("user.tier == 'gold' && limit < 10").isEmpty)
        #expect(try findings("user.age >= 18").first == "the expression never reads the declared input `limit`; the decision must take every declared input into account")
        let constant = try findings("limit == limit || user.age == 1")
        #expect(constant.count == 1 && constant[0].hasPrefix("the expression is constant: it decides true"))
    }

    @Test("generated samples are deterministic and bind to the declared types")
    func samples() throws {
        let declarations: [String: CELType] = ["n": .int, "s": .string, "l": .list(.double), "t": .timestamp, "m": .map(.string, .bool)]
        var first = SampleInputGenerator(declarations: declarations, examples: [])
        var second = SampleInputGenerator(declarations: declarations, examples: [])
        let samples = first.samples(count: 50)
        #expect(samples == second.samples(count: 50))
        let program = try compile("size(s) >= 0 && n == n && size(l) >= 0 && t == t && size(m) >= 0",
                                  in: Environment(variables: declarations))
        for sample in samples {
            #expect(program.evaluate(json: sample.serializedBytes()).result == .success(.bool(true)), "\(sample.serialized())")
        }
    }
}
