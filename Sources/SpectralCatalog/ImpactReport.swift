import Spectral
import SpectralJSON

/// What publishing a version would change: recent logged inputs of its predicate replayed
/// through the active version and the new one, their outcomes compared. Stored with the
/// new version; an activation policy (`ActivationPolicy`) reads it.
public struct ImpactReport: Sendable, Equatable {
    /// How an outcome changed from the active version to the new one. An error that
    /// stays an error (whatever its code) is unchanged: neither version decides.
    public enum Change: String, Sendable, CaseIterable, Comparable {
        case trueToFalse = "true->false"
        case falseToTrue = "false->true"
        case valueToError = "value->error"
        case errorToValue = "error->value"
        case valueToOther = "value->other"

        public static func < (lhs: Change, rhs: Change) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// One input whose outcome changed: a logged one (with its decision's id) or a generated one.
    public struct Example: Sendable, Equatable {
        public var decisionID: DecisionID?
        /// The input as the log holds it (masked fields are already gone), or as generated.
        public var input: String
        public var before: ImpactOutcome
        public var after: ImpactOutcome
    }

    /// Both versions run on inputs generated from the declarations (`SampleInputGenerator`:
    /// schema edges, the examples' and the log's values), so a predicate with little traffic
    /// still gets a comparison, with counterexamples.
    public struct GeneratedComparison: Sendable, Equatable {
        public var tried: Int
        public var changes: [Change: Int]
        /// At most `maxExamples` of each kind of change.
        public var examples: [Change: [Example]]

        public init(tried: Int = 0, changes: [Change: Int] = [:], examples: [Change: [Example]] = [:]) {
            self.tried = tried
            self.changes = changes
            self.examples = examples
        }

        public var changed: Int { changes.values.reduce(0, +) }
    }

    /// Fuel used per evaluation, over the replayed inputs.
    public struct FuelSummary: Sendable, Equatable {
        public var p50: UInt64
        public var p99: UInt64
    }

    /// The active version the new one was compared with.
    public var comparedWith: Int
    public var replayed: Int
    public var unchanged: Int
    public var changes: [Change: Int]
    /// At most `maxExamples` of each kind of change, newest first.
    public var examples: [Change: [Example]]
    public var activeFuel: FuelSummary
    public var candidateFuel: FuelSummary
    /// How the new version's declarations and result type differ from the active one's
    /// (`DeclarationChanges`), in words; empty when they are the same.
    public var declarationChanges: [String] = []
    /// The comparison on generated inputs; nil when none was run (a report stored before it was).
    public var generated: GeneratedComparison?

    public static let maxExamples = 20

    public var changed: Int { changes.values.reduce(0, +) }

    /// The changed share of the replayed inputs; 0 when none were replayed.
    public var changedFraction: Double { replayed == 0 ? 0 : Double(changed) / Double(replayed) }
}

/// A replayed outcome: the decision as JSON, or the error's code.
public enum ImpactOutcome: Sendable, Equatable {
    case decided(JSONValue)
    case failed(code: String)

    public init(_ evaluation: Evaluation) {
        switch evaluation.result {
        case .success(let value): self = .decided(value.jsonValue)
        case .failure(let error): self = .failed(code: error.code)
        }
    }

    /// The change from `self` (the active version's outcome) to `after`, nil when none.
    public func change(to after: ImpactOutcome) -> ImpactReport.Change? {
        switch (self, after) {
        case (.decided(let a), .decided(let b)):
            guard a != b else { return nil }
            switch (a, b) {
            case (.bool(true), .bool(false)): return .trueToFalse
            case (.bool(false), .bool(true)): return .falseToTrue
            default: return .valueToOther
            }
        case (.decided, .failed): return .valueToError
        case (.failed, .decided): return .errorToValue
        case (.failed, .failed): return nil
        }
    }
}
