import SpectralCompiler
import SpectralVM

/// Reads an explained run's traced registers into `ExplainedClause`s.
///
/// Which clauses the run evaluated follows from their ancestors' values, since CEL fixes
/// the order: `a && b` evaluates `b` unless `a` is false, a ternary one branch, a
/// comprehension its predicate once per element. So a clause inside a loop is read as of
/// the loop's last iteration, the one that ended it, even when an earlier iteration left a
/// value in a clause the last one skipped.
struct ClauseReader {
    let clauses: ClauseTree
    let source: [UInt8]
    let machine: Machine
    let masks: InputMasks

    func clause(_ index: Int, reached: Bool, decided: Bool) -> ExplainedClause {
        let clause = clauses.clauses[index]
        let hidden = masks.covers(any: clause.reads)
        let raw = reached ? value(clause.register) : nil
        var explained = ExplainedClause(
            kind: Self.kind(clause.kind), text: text(clause.span), span: range(clause.span),
            value: shown(raw, hidden: hidden), role: raw == nil ? .skipped : decided ? .decided : .evaluated,
            children: [], flip: nil, element: nil)
        let decided = decided && raw != nil
        switch clause.kind {
        case .and, .or:
            // The value that ends the evaluation: false for `&&`, true for `||`.
            let stop = clause.kind == .or
            let first = clause.children[0], second = clause.children[1]
            let firstValue = reached ? value(clauses.clauses[first].register) : nil
            let secondReached = firstValue.map { !Self.isBool($0, stop) } ?? false
            let secondValue = secondReached ? value(clauses.clauses[second].register) : nil
            var deciding: (Bool, Bool) = (false, false)
            if decided, let raw {
                if Self.isBool(raw, stop) {
                    deciding = firstValue.map { Self.isBool($0, stop) } == true ? (true, false) : (false, true)
                } else if Self.isBool(raw, !stop) {
                    deciding = (true, true)
                } else {
                    deciding = (firstValue.map(Self.isFailure) ?? false, secondValue.map(Self.isFailure) ?? false)
                }
            }
            explained.children = [self.clause(first, reached: reached, decided: deciding.0),
                                  self.clause(second, reached: secondReached, decided: deciding.1)]
        case .not:
            explained.children = [self.clause(clause.children[0], reached: reached, decided: decided)]
        case .conditional:
            let condition = clause.children[0]
            let chosen = reached ? value(clauses.clauses[condition].register) : nil
            let then = chosen.map { Self.isBool($0, true) } ?? false
            let otherwise = chosen.map { Self.isBool($0, false) } ?? false
            explained.children = [self.clause(condition, reached: reached, decided: decided),
                                  self.clause(clause.children[1], reached: then, decided: decided && then),
                                  self.clause(clause.children[2], reached: otherwise, decided: decided && otherwise)]
        case .comprehension(let macro):
            let range = reached ? clause.rangeRegister.flatMap(value) : nil
            let looped = range.map(isNonEmptyCollection) ?? false
            explained.children = [self.clause(clause.children[0], reached: looped, decided: decided)]
            if looped, macro == .all || macro == .exists {
                let elementsHidden = hidden
                explained.element = clause.elementRegisters.map { shown(value($0), hidden: elementsHidden) }
            }
        case .leaf:
            if decided, let raw, case .bool(let outcome) = raw, let comparison = clause.comparison {
                explained.flip = flip(comparison, outcome: outcome, hidden: hidden)
            }
        }
        return explained
    }

    // MARK: Values

    private func value(_ register: Int) -> SpectralVM.Value? { machine.traced(register) }

    private func shown(_ raw: SpectralVM.Value?, hidden: Bool) -> ExplainedClause.Value {
        guard let raw else { return .notEvaluated }
        // A boolean is what the predicate made of the input, not the input: kept, so a
        // masked field's clauses still explain the outcome.
        if hidden, !Self.isBool(raw, true), !Self.isBool(raw, false) { return .masked }
        switch CELValue.from(raw, in: machine.heap) {
        case .success(let value): return .value(value)
        case .failure(let error): return .error(error.description)
        }
    }

    private static func isBool(_ value: SpectralVM.Value, _ expected: Bool) -> Bool {
        if case .bool(let b) = value { return b == expected }
        return false
    }

    /// An error, or a value `&&`/`||` cannot use (which makes the operator's error).
    private static func isFailure(_ value: SpectralVM.Value) -> Bool {
        if case .bool = value { return false }
        return true
    }

    private func isNonEmptyCollection(_ value: SpectralVM.Value) -> Bool {
        switch value {
        case .list(let handle): return !machine.heap.list(handle).isEmpty
        case .map(let handle): return machine.heap.maps[Int(handle)].count > 0
        default: return false
        }
    }

    // MARK: Text

    private func range(_ span: SourceRange) -> Range<Int>? { span.byteRange(within: source.count) }

    private func text(_ span: SourceRange) -> String { span.text(in: source) }

    /// What the comparison would need to take the other value, in source syntax.
    private func flip(_ comparison: ClauseTree.Comparison, outcome: Bool, hidden: Bool) -> ExplainedClause.Flip {
        let subject = text(comparison.subjectSpan), constant = text(comparison.constantSpan)
        let operation = outcome ? Self.negated[comparison.operation] ?? comparison.operation : comparison.operation
        let condition: String
        if comparison.operation == "in" {
            condition = outcome ? "!(\(subject) in \(constant))" : "\(subject) in \(constant)"
        } else {
            condition = comparison.constantFirst ? "\(constant) \(operation) \(subject)" : "\(subject) \(operation) \(constant)"
        }
        return ExplainedClause.Flip(subject: subject, subjectValue: shown(value(comparison.subjectRegister), hidden: hidden),
                                    condition: condition)
    }

    private static let negated = ["<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="]

    private static func kind(_ kind: ClauseTree.Clause.Kind) -> ExplainedClause.Kind {
        switch kind {
        case .and: return .and
        case .or: return .or
        case .not: return .not
        case .conditional: return .conditional
        case .leaf: return .leaf
        case .comprehension(.all): return .all
        case .comprehension(.exists): return .exists
        case .comprehension(.existsOne): return .existsOne
        case .comprehension: return .filter
        }
    }
}
