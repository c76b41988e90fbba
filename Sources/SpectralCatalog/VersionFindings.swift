import Spectral
import SpectralSampling

/// What the worker found out about a version by trying it, whoever wrote it: signs it
/// cannot be what was meant (`DegeneracyProbe`) and its boundary table (`BoundaryTable`).
/// Stored with the version and shown with its impact report; an activation policy with
/// `hold_on_findings` holds a version that has any finding (the table is not a finding).
public struct VersionFindings: Sendable, Equatable {
    public struct Finding: Sendable, Equatable {
        public enum Kind: String, Sendable {
            case constantDecision = "constant_decision"
            case unreadInput = "unread_input"
            case inertInput = "inert_input"
        }

        public var kind: Kind
        /// The input concerned, for the input kinds.
        public var input: String?
        public var message: String
    }

    /// Examples and generated inputs the version was run on.
    public var inputsTried: Int
    public var findings: [Finding]
    public var boundaries: BoundaryTable

    public init(inputsTried: Int, findings: [Finding], boundaries: BoundaryTable) {
        self.inputsTried = inputsTried
        self.findings = findings
        self.boundaries = boundaries
    }

    /// Runs `explainer`'s predicate (its program, and its clauses for the boundary table) on
    /// the examples and on generated inputs; `active`, when there is one, beside it in the
    /// table. `shouldStop` cuts the search for inert inputs short (the handler's budget).
    public init(explainer: Explainer, declarations: [String: InputDeclaration], examples: [JSONValue],
                active: Program?, shouldStop: () -> Bool = { false }) {
        let probe = DegeneracyProbe(program: explainer.program, declarations: declarations, examples: examples)
        var findings = probe.unreadInputs.map { name in
            Finding(kind: .unreadInput, input: name, message: "the declared input `\(name)` is never read")
        }
        if let (decision, count) = probe.constantDecision(shouldStop: shouldStop) {
            findings.append(Finding(kind: .constantDecision, input: nil,
                                    message: "the decision is \(decision.serialized()) for every one of the \(count) inputs tried that it decided"))
        } else {
            findings += probe.inertInputs(shouldStop: shouldStop).map { name in
                Finding(kind: .inertInput, input: name,
                        message: "`\(name)` is read, but no change to it alone changed an outcome in the inputs tried")
            }
        }
        self.init(inputsTried: probe.inputs.count, findings: findings,
                  boundaries: BoundaryTable(clauses: explainer.clauses, source: explainer.source, candidate: explainer.program,
                                            active: active, inputs: probe.inputs, exampleCount: probe.exampleCount))
    }
}
