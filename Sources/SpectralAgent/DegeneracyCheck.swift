import Spectral
import SpectralCatalog

/// Catches predicates that pass every example yet cannot be what was meant: one that never
/// reads a declared input, and one whose decision is the same for the examples and for
/// every generated input (a constant dressed up, or `true`). Both go back to the model like
/// any other diagnostic. Inputs declared by JSON Schema are tried at the schema's edges
/// (see `SampleInputGenerator`), every one a valid input.
struct DegeneracyCheck {
    /// Generated inputs tried besides the examples.
    var sampleCount = 256

    func findings(declarations: [String: InputDeclaration], program: Program, examples: [PredicateTest]) -> [AuthoringDiagnostic] {
        var findings: [AuthoringDiagnostic] = []
        let unread = unreadInputs(program: program, declarations: declarations)
        for name in unread {
            findings.append(AuthoringDiagnostic(
                stage: "degenerate",
                message: "the expression never reads the declared input `\(name)`; the decision must take every declared input into account"))
        }
        if let constant = constantDecision(program: program, declarations: declarations, examples: examples) {
            findings.append(AuthoringDiagnostic(stage: "degenerate", message: constant))
        }
        return findings
    }

    /// Declared inputs the compiled program never loads: its variable table lists exactly
    /// the inputs the expression refers to, so there is no need to check the source again.
    private func unreadInputs(program: Program, declarations: [String: InputDeclaration]) -> [String] {
        let read = Set(program.module.variables)
        return declarations.keys.filter { !read.contains($0) }.sorted()
    }

    /// A message when every input tried gives the same decision, else nil. Inputs the
    /// expression fails on (a missing key, say) are not counted either way.
    private func constantDecision(program: Program, declarations: [String: InputDeclaration], examples: [PredicateTest]) -> String? {
        var generator = SampleInputGenerator(declarations: declarations, examples: examples.map(\.input))
        let inputs = examples.map(\.input) + generator.samples(count: sampleCount)
        var decisions: [String: Int] = [:]
        for input in inputs {
            guard case .success(let value) = program.evaluate(json: input.serializedBytes()).result else { continue }
            decisions[value.jsonValue.serialized(), default: 0] += 1
            if decisions.count > 1 { return nil }
        }
        guard let (decision, count) = decisions.first else { return nil }
        return "the expression is constant: it decides \(decision) for all \(count) inputs tried (the \(examples.count) "
            + "examples and \(count - examples.count) generated ones); it must decide differently when the intent says so"
    }
}
