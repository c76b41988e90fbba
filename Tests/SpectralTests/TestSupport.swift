import Foundation
import Spectral
import Testing

/// What an end-to-end evaluation should produce.
enum Outcome: Sendable, CustomStringConvertible {
    /// A value, compared with `CELValue.==`.
    case value(CELValue)
    /// A CEL evaluation error whose message contains this text (empty: any message).
    case error(String)

    var description: String {
        switch self {
        case .value(let v): return "\(v)"
        case .error(let m): return "error(\(m))"
        }
    }
}

/// One row of a table-driven evaluation test.
struct EvalCase: Sendable, CustomTestStringConvertible {
    var source: String
    var outcome: Outcome
    var typeCheck: Bool = true

    init(_ source: String, _ outcome: Outcome, typeCheck: Bool = true) {
        self.source = source
        self.outcome = outcome
        self.typeCheck = typeCheck
    }

    var testDescription: String { "\(typeCheck ? "" : "[unchecked] ")\(source) → \(outcome)" }
}

func ok(_ source: String, _ value: CELValue, typeCheck: Bool = true) -> EvalCase {
    EvalCase(source, .value(value), typeCheck: typeCheck)
}

func fails(_ source: String, _ message: String = "", typeCheck: Bool = true) -> EvalCase {
    EvalCase(source, .error(message), typeCheck: typeCheck)
}

/// The JSON-like inputs shared by the semantics tables.
let sampleInputJSON = """
{
  "user": {"name": "Ada", "age": 36, "score": 9.5, "tags": ["admin", "dev"],
           "address": {"city": "Paris", "zip": null}, "active": true},
  "items": [3, 1, 4, 1, 5],
  "pattern": "^A[a-z]+$",
  "text": "héllo wörld"
}
"""

let sampleDeclarations: [String: CELType] = [
    "user": .map(.string, .dyn),
    "items": .list(.int),
    "pattern": .string,
    "text": .string,
]

func sampleBindings() throws -> [String: CELValue] {
    try JSONInput.bindings(Array(sampleInputJSON.utf8), declarations: sampleDeclarations)
}

/// Compiles (checked or not) against the sample declarations and evaluates with the sample inputs.
func evaluateSample(_ source: String, typeCheck: Bool = true, limits: Limits = Limits()) throws -> Evaluation {
    var variables = sampleDeclarations
    if !typeCheck { for name in variables.keys { variables[name] = .dyn } }
    let env = Environment(variables: variables, limits: limits, typeCheck: typeCheck)
    let program = try compile(source, in: env)
    return program.evaluate(try sampleBindings())
}

/// Checks an evaluation result against an expected outcome.
func expectOutcome(_ result: Result<CELValue, EvaluationError>, _ outcome: Outcome,
                   _ context: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    switch (result, outcome) {
    case (.success(let actual), .value(let expected)):
        #expect(actual == expected, "\(context): expected \(expected), got \(actual)", sourceLocation: sourceLocation)
    case (.failure(.evaluation(let message)), .error(let fragment)):
        #expect(fragment.isEmpty || message.contains(fragment),
                "\(context): error '\(message)' lacks '\(fragment)'", sourceLocation: sourceLocation)
    case (.success(let actual), .error):
        Issue.record("\(context): expected an error, got \(actual)", sourceLocation: sourceLocation)
    case (.failure(let error), _):
        Issue.record("\(context): expected \(outcome), got error \(error)", sourceLocation: sourceLocation)
    }
}

/// The repository root (this file is Tests/SpectralTests/TestSupport.swift).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
