import SpectralBytecode
import SpectralSyntax

/// The logical structure of a checked expression, as an explanation shows it: `&&`, `||`,
/// `!`, the ternary and the predicate comprehensions (`all`, `exists`, `exists_one`,
/// `filter`) are inner clauses; everything else below them (a comparison, a call, a
/// variable) is a leaf, whose inside is not taken apart.
///
/// Each clause owns registers that only an explained program writes (`trace`), right after
/// computing the clause's value: `CodeGenerator.generate(_:tracing:)` reserves them below
/// every other register. A clause inside a comprehension holds the value of its last
/// evaluation, the one that ended the loop; which clauses a run evaluated at all follows
/// from their ancestors' values, as the evaluation order is fixed (`Explanation`).
public struct ClauseTree: Sendable {
    public struct Clause: Sendable {
        public enum Kind: Sendable, Equatable {
            case and, or, not, conditional
            /// `all`, `exists`, `exists_one` or `filter`, its predicate the one child.
            case comprehension(Comprehension.Macro)
            case leaf
        }

        public var kind: Kind
        /// The clause's source, as UTF-8 byte offsets (its whole subtree's).
        public var span: SourceRange
        public var children: [Int]
        /// The register holding the clause's value.
        public var register: Int
        /// A comparison of something against a literal, which an explanation can say how to flip.
        public var comparison: Comparison?
        /// A comprehension's range and its last element (two registers for the two-variable
        /// forms: index or key, then element or value).
        public var rangeRegister: Int?
        public var elementRegisters: [Int] = []
        /// The input paths the clause's subtree reads: what masking compares against.
        public var reads: [InputPath] = []
    }

    /// `subject op constant` (or `constant op subject`), with the subject's value traced.
    /// The constant is a literal, or a list of literals (`country in ["US", "CA"]`).
    public struct Comparison: Sendable {
        /// `<`, `<=`, `>`, `>=`, `==`, `!=` or `in`, as written.
        public var operation: String
        public var subjectSpan: SourceRange
        public var subjectRegister: Int
        public var constantSpan: SourceRange
        /// True for `constant op subject`.
        public var constantFirst: Bool
        /// The place in the input the subject is, when it is one (`amount`, `user.age`, not
        /// `size(name)`): what a boundary table varies.
        public var subjectPath: InputPath?
        /// The constant when it is one literal (not a list).
        public var literal: Literal?
    }

    /// The root is `clauses[0]`.
    public private(set) var clauses: [Clause] = []
    /// Registers the clauses own: `0..<registerCount`.
    public private(set) var registerCount = 0
    /// Clause index by expression id, for the code generator.
    private(set) var clauseByExpression: [Int: Int] = [:]
    /// Subject register by comparison expression id.
    private(set) var subjectByExpression: [Int: Int] = [:]

    /// More clauses than this leave the deeper structure as leaves: a bound on what an
    /// explanation holds and prints, whatever the predicate's size.
    public static let maxClauses = 256

    public init(_ checked: CheckedExpr) {
        var paths = InputPathResolver(checked)
        _ = add(checked.expr, checked: checked, paths: &paths)
    }

    private mutating func allocate() -> Int {
        registerCount += 1
        return registerCount - 1
    }

    /// Adds `expr` as a clause (and its logical children as clauses); its index.
    private mutating func add(_ expr: Expr, checked: CheckedExpr, paths: inout InputPathResolver) -> Int {
        // `cel.bind(x, v, body)` explains as its body; the binding is a name, not a clause.
        if case .comprehension(let c) = expr.kind, c.macro == .bind {
            paths.bind(c.accuVar, to: c.accuInit)
            defer { paths.unbind(c.accuVar) }
            return add(c.result, checked: checked, paths: &paths)
        }
        let index = clauses.count
        clauses.append(Clause(kind: .leaf, span: Self.span(of: expr), children: [], register: allocate()))
        clauseByExpression[expr.id] = index
        let roomForChildren = clauses.count + 3 <= Self.maxClauses
        var kind = Clause.Kind.leaf
        var children: [Int] = []
        switch expr.kind {
        case .call("_&&_", nil, let args) where args.count == 2 && roomForChildren:
            kind = .and
            children = args.map { add($0, checked: checked, paths: &paths) }
        case .call("_||_", nil, let args) where args.count == 2 && roomForChildren:
            kind = .or
            children = args.map { add($0, checked: checked, paths: &paths) }
        case .call("!_", nil, let args) where args.count == 1 && roomForChildren:
            kind = .not
            children = [add(args[0], checked: checked, paths: &paths)]
        case .call("_?_:_", nil, let args) where args.count == 3 && roomForChildren:
            kind = .conditional
            children = args.map { add($0, checked: checked, paths: &paths) }
        case .comprehension(let c) where roomForChildren:
            // Over a literal `[]` the predicate never runs (nor is the range traced).
            if let predicate = Self.predicate(of: c), !Self.isEmptyList(c.iterRange) {
                kind = .comprehension(c.macro)
                clauses[index].rangeRegister = allocate()
                clauses[index].elementRegisters = c.iterVar2 == nil ? [allocate()] : [allocate(), allocate()]
                paths.iterate(c, checked: checked)
                children = [add(predicate, checked: checked, paths: &paths)]
                paths.endIteration(c)
            }
        default:
            break
        }
        clauses[index].kind = kind
        clauses[index].children = children
        clauses[index].reads = paths.reads(of: expr)
        if kind == .leaf, let comparison = comparison(expr, paths: paths) {
            clauses[index].comparison = comparison
            subjectByExpression[expr.id] = comparison.subjectRegister
        }
        return index
    }

    /// The per-element predicate of the comprehensions an explanation takes apart.
    static func predicate(of c: Comprehension) -> Expr? {
        switch (c.macro, c.loopStep.kind) {
        case (.all, .call("_&&_", nil, let args)), (.exists, .call("_||_", nil, let args)):
            return args.count == 2 ? args[1] : nil
        case (.existsOne, .call("_?_:_", nil, let args)), (.filter, .call("_?_:_", nil, let args)):
            return args.count == 3 ? args[0] : nil
        default:
            return nil
        }
    }

    /// `subject op constant` or `constant op subject` for the relations and `in`.
    private mutating func comparison(_ expr: Expr, paths: InputPathResolver) -> Comparison? {
        guard case .call(let function, nil, let args) = expr.kind, args.count == 2,
              let operation = Self.relations[function] else { return nil }
        let constantFirst: Bool
        switch (Self.isConstant(args[0]), Self.isConstant(args[1])) {
        case (false, true): constantFirst = false
        case (true, false) where function != "@in": constantFirst = true
        default: return nil
        }
        let (subject, constant) = constantFirst ? (args[1], args[0]) : (args[0], args[1])
        let literal: Literal? = if case .literal(let value) = constant.kind { value } else { nil }
        return Comparison(operation: operation, subjectSpan: Self.span(of: subject), subjectRegister: allocate(),
                          constantSpan: Self.span(of: constant), constantFirst: constantFirst,
                          subjectPath: paths.path(of: subject), literal: literal)
    }

    private static func isEmptyList(_ expr: Expr) -> Bool {
        if case .list(let elements) = expr.kind { return elements.isEmpty }
        return false
    }

    /// A literal, or a list of literals.
    private static func isConstant(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .literal: return true
        case .list(let elements): return elements.allSatisfy { if case .literal = $0.kind { true } else { false } }
        default: return false
        }
    }

    private static let relations: [String: String] = [
        "_<_": "<", "_<=_": "<=", "_>_": ">", "_>=_": ">=", "_==_": "==", "_!=_": "!=", "@in": "in",
    ]

    /// The span covering `expr` and everything below it: an operator's own span may be
    /// just the operator.
    static func span(of expr: Expr) -> SourceRange {
        var start = Int32.max, end = Int32.min
        func visit(_ e: Expr) {
            if e.span.start >= 0 && e.span.end >= e.span.start {
                start = min(start, e.span.start)
                end = max(end, e.span.end)
            }
            e.forEachChild(visit)
        }
        visit(expr)
        return start <= end ? SourceRange(start: start, end: end) : .unknown
    }

    /// The clause an expression is, if it is one.
    func clause(of expr: Expr) -> Clause? {
        clauseByExpression[expr.id].map { clauses[$0] }
    }

    /// The register a comparison's subject is traced into, if `expr` is such a comparison.
    func subjectRegister(of expr: Expr) -> Int? { subjectByExpression[expr.id] }
}

extension Expr {
    /// Calls `body` on each direct child, in evaluation order.
    func forEachChild(_ body: (Expr) -> Void) {
        switch kind {
        case .literal, .ident: break
        case .select(let operand, _, _): body(operand)
        case .call(_, let target, let args):
            if let target { body(target) }
            args.forEach(body)
        case .list(let elements): elements.forEach(body)
        case .map(let entries):
            for entry in entries {
                body(entry.key)
                body(entry.value)
            }
        case .comprehension(let c):
            [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].forEach(body)
        }
    }
}
