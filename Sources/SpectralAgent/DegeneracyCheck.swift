import Spectral
import SpectralCatalog
import SpectralSampling

/// Catches predicates that pass every example yet cannot be what was meant: one that never
/// reads a declared input, and one whose decision is the same for the examples and for
/// every generated input (a constant dressed up, or `true`). Both go back to the model like
/// any other diagnostic. The probing itself is `DegeneracyProbe`'s, which the worker also
/// runs on every submission; "read but never changing the outcome" is left to the worker's
/// findings, as a heuristic that could spend the model's rounds on a rare branch.
struct DegeneracyCheck {
    /// Generated inputs tried besides the examples.
    var sampleCount = DegeneracyProbe.defaultSampleCount

    func findings(declarations: [String: InputDeclaration], program: Program, examples: [PredicateTest]) -> [AuthoringDiagnostic] {
        let probe = DegeneracyProbe(program: program, declarations: declarations, examples: examples.map(\.input),
                                    sampleCount: sampleCount)
        var findings = probe.unreadInputs.map { name in
            AuthoringDiagnostic(
                stage: "degenerate",
                message: "the expression never reads the declared input `\(name)`; the decision must take every declared input into account")
        }
        if let (decision, count) = probe.constantDecision() {
            findings.append(AuthoringDiagnostic(stage: "degenerate", message: "the expression is constant: it decides \(decision.serialized()) for all \(count) inputs tried (the \(examples.count) "
                + "examples and \(count - examples.count) generated ones); it must decide differently when the intent says so"))
        }
        return findings
    }
}
