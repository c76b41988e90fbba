import SpectralSyntax

/// A place in the input an expression reads: a variable, then the fields (or any element)
/// below it. `user.card.number` reads `user/card/number`; inside `items.all(i, i.price > 0)`
/// the predicate reads `items/*/price`. What masking compares its pointers against.
public struct InputPath: Hashable, Sendable, CustomStringConvertible {
    public enum Segment: Hashable, Sendable {
        case field(String)
        /// Some element of a list, or key of a map: a comprehension's variable, or an index.
        case anyElement
        /// A member the source computes (`m[k]`): could be any of them, and anything below.
        case unknown
    }

    public var variable: String
    public var segments: [Segment]

    public init(variable: String, segments: [Segment] = []) {
        self.variable = variable
        self.segments = segments
    }

    public var description: String {
        ([variable] + segments.map { segment in
            switch segment {
            case .field(let name): return name
            case .anyElement: return "*"
            case .unknown: return "?"
            }
        }).joined(separator: "/")
    }
}

/// Finds the input paths expressions read, following comprehension and `cel.bind`
/// variables back to the paths they were bound to.
struct InputPathResolver {
    private let checked: CheckedExpr
    /// What each local names, innermost last; nil when it is not a place in the input.
    private var locals: [String: [InputPath?]] = [:]

    init(_ checked: CheckedExpr) { self.checked = checked }

    mutating func bind(_ name: String, to expr: Expr) {
        locals[name, default: []].append(path(of: expr))
    }

    mutating func unbind(_ name: String) {
        _ = locals[name]?.popLast()
    }

    /// Binds a comprehension's variables to an element of its range.
    mutating func iterate(_ c: Comprehension, checked: CheckedExpr) {
        let element = path(of: c.iterRange).map { InputPath(variable: $0.variable, segments: $0.segments + [.anyElement]) }
        locals[c.iterVar, default: []].append(element)
        if let second = c.iterVar2 { locals[second, default: []].append(element) }
    }

    mutating func endIteration(_ c: Comprehension) {
        unbind(c.iterVar)
        if let second = c.iterVar2 { unbind(second) }
    }

    /// The path `expr` is, when it is a place in the input.
    func path(of expr: Expr) -> InputPath? {
        if let reference = checked.references[expr.id] {
            switch reference {
            case .variable(let name): return InputPath(variable: name)
            case .local(let name): return locals[name]?.last ?? nil
            default: return nil
            }
        }
        switch expr.kind {
        case .ident(let name):
            return InputPath(variable: name)
        case .select(let operand, let field, _):
            return path(of: operand).map { InputPath(variable: $0.variable, segments: $0.segments + [.field(field)]) }
        case .call("_[_]", nil, let args) where args.count == 2:
            guard let base = path(of: args[0]) else { return nil }
            let segment: InputPath.Segment
            switch args[1].kind {
            case .literal(.string(let key)): segment = .field(key)
            case .literal(.int), .literal(.uint): segment = .anyElement
            default: segment = .unknown
            }
            return InputPath(variable: base.variable, segments: base.segments + [segment])
        default:
            return nil
        }
    }

    /// Every maximal path read in `expr`'s subtree, in order of first reading.
    func reads(of expr: Expr) -> [InputPath] {
        var walker = self
        var found: [InputPath] = []
        walker.collect(expr, into: &found)
        return found
    }

    private mutating func collect(_ expr: Expr, into found: inout [InputPath]) {
        if let path = path(of: expr) {
            if !found.contains(path) { found.append(path) }
            // A computed index reads its key expression too.
            if case .call("_[_]", nil, let args) = expr.kind, args.count == 2 { collect(args[1], into: &found) }
            return
        }
        if case .comprehension(let c) = expr.kind {
            collect(c.iterRange, into: &found)
            collect(c.accuInit, into: &found)
            if c.macro == .bind {
                bind(c.accuVar, to: c.accuInit)
                collect(c.result, into: &found)
                unbind(c.accuVar)
                return
            }
            iterate(c, checked: checked)
            locals[c.accuVar, default: []].append(nil)
            collect(c.loopCondition, into: &found)
            collect(c.loopStep, into: &found)
            endIteration(c)
            collect(c.result, into: &found)
            unbind(c.accuVar)
            return
        }
        expr.forEachChild { child in collect(child, into: &found) }
    }
}
