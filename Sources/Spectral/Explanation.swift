/// How a decision came about: the predicate's clauses (`ClauseTree`) with the value each
/// had and whether it decided the outcome, was evaluated without deciding it, or was
/// skipped by a short-circuit.
public struct Explanation: Sendable {
    /// The explained run's own outcome: the decision, or the error it ended in.
    public var evaluation: Evaluation
    /// Nil when the input could not be bound: nothing was evaluated.
    public var root: ExplainedClause?
}

public struct ExplainedClause: Sendable {
    public enum Kind: String, Sendable {
        case and, or, not, conditional, leaf
        case all, exists, existsOne = "exists_one", filter
    }

    public enum Value: Sendable, Equatable {
        case value(CELValue)
        /// The error the clause evaluated to, by its message.
        case error(String)
        /// Read from a masked place in the input: not shown.
        case masked
        /// Skipped, or not reached before the run stopped (fuel or memory).
        case notEvaluated
    }

    public enum Role: String, Sendable {
        /// Its value determined its parent's, up to the outcome.
        case decided
        /// Evaluated, but the outcome would have been the same without it.
        case evaluated
        /// Not evaluated: a short-circuit (or the ternary's other branch) passed it by.
        case skipped
    }

    /// How to flip a deciding comparison against a constant: `amount > 1000.0` was false
    /// with `amount` = 500.0, and would be true if `amount > 1000.0`.
    public struct Flip: Sendable, Equatable {
        /// The source text of the compared expression (`amount`).
        public var subject: String
        public var subjectValue: Value
        /// The condition, in source syntax, under which the comparison has the other value.
        public var condition: String

        public init(subject: String, subjectValue: Value, condition: String) {
            self.subject = subject
            self.subjectValue = subjectValue
            self.condition = condition
        }
    }

    public var kind: Kind
    public var text: String
    /// UTF-8 byte offsets into the source.
    public var span: Range<Int>?
    public var value: Value
    public var role: Role
    public var children: [ExplainedClause]
    public var flip: Flip?
    /// For `all` and `exists`: the element the loop ended on, which decided the outcome
    /// when `all` is false or `exists` true (two values for the two-variable forms).
    public var element: [Value]?
}
