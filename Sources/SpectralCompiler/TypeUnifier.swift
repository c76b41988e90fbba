/// Type-parameter substitution and unification for the checker.
///
/// `dyn` is assignable to and from everything; type parameters bind on first use;
/// joins of literal element types keep the most general type (`dyn` wins over `int`).
struct TypeUnifier {
    private(set) var substitution: [String: CELType] = [:]
    private var counter = 0

    mutating func fresh() -> CELType {
        counter += 1
        return .param("_T\(counter)")
    }

    /// Renames an overload's type parameters to fresh ones.
    mutating func instantiate(_ overload: Overload) -> (params: [CELType], result: CELType) {
        if overload.typeParams.isEmpty { return (overload.params, overload.result) }
        var renaming: [String: CELType] = [:]
        for name in overload.typeParams { renaming[name] = fresh() }
        func rename(_ t: CELType) -> CELType {
            switch t {
            case .param(let n): return renaming[n] ?? t
            case .list(let e): return .list(rename(e))
            case .map(let k, let v): return .map(rename(k), rename(v))
            case .type(let t): return .type(rename(t))
            case .abstract(let n, let ps): return .abstract(n, ps.map(rename))
            default: return t
            }
        }
        return (overload.params.map(rename), rename(overload.result))
    }

    /// Follows bindings at the top level.
    func shallow(_ t: CELType) -> CELType {
        var t = t
        while case .param(let n) = t, let bound = substitution[n] { t = bound }
        return t
    }

    /// Applies the substitution everywhere; unbound parameters stay (or become `dyn` when `closing`).
    func apply(_ t: CELType, closing: Bool = false) -> CELType {
        switch shallow(t) {
        case .param(let n): return closing ? .dyn : .param(n)
        case .list(let e): return .list(apply(e, closing: closing))
        case .map(let k, let v): return .map(apply(k, closing: closing), apply(v, closing: closing))
        case .type(let t): return .type(apply(t, closing: closing))
        case .abstract(let n, let ps): return .abstract(n, ps.map { apply($0, closing: closing) })
        case .nullable(let inner): return .nullable(apply(inner, closing: closing))
        case let other: return other
        }
    }

    private func occurs(_ name: String, in t: CELType) -> Bool {
        switch shallow(t) {
        case .param(let n): return n == name
        case .list(let e): return occurs(name, in: e)
        case .map(let k, let v): return occurs(name, in: k) || occurs(name, in: v)
        case .type(let t): return occurs(name, in: t)
        case .abstract(_, let ps): return ps.contains { occurs(name, in: $0) }
        case .nullable(let inner): return occurs(name, in: inner)
        default: return false
        }
    }

    /// Makes `a` and `b` compatible, binding parameters; false when they cannot be.
    /// On failure the substitution may be partly extended: callers snapshot it.
    mutating func unify(_ a: CELType, _ b: CELType) -> Bool {
        let a = shallow(a), b = shallow(b)
        switch (a, b) {
        case (.error, _), (_, .error): return true
        case (.param(let x), .param(let y)) where x == y: return true
        case (.param(let x), _):
            if occurs(x, in: b) { return false }
            substitution[x] = b
            return true
        case (_, .param(let y)):
            if occurs(y, in: a) { return false }
            substitution[y] = a
            return true
        case (.dyn, _), (_, .dyn): return true
        // `null` is assignable to abstract types (optionals), as in cel-go's legacy nullable rule.
        case (.null, .abstract), (.abstract, .null): return true
        case (.list(let x), .list(let y)): return unify(x, y)
        case (.map(let k1, let v1), .map(let k2, let v2)): return unify(k1, k2) && unify(v1, v2)
        // A nullable value is its type or null: it takes a null, and another nullable.
        case (.nullable(let x), .nullable(let y)): return unify(x, y)
        case (.null, .nullable), (.nullable, .null): return true
        // An object is bound as a map with string keys: map functions (`size`, `in`,
        // indexing) apply to it, its values typed `dyn`.
        case (.object, .map(let k, let v)), (.map(let k, let v), .object):
            return unify(k, .string) && unify(v, .dyn)
        // Every type value has type `type`: `type(1) == type(1u)` is a valid (false) comparison.
        case (.type, .type): return true
        case (.abstract(let n1, let p1), .abstract(let n2, let p2)):
            guard n1 == n2, p1.count == p2.count else { return false }
            for (x, y) in zip(p1, p2) where !unify(x, y) { return false }
            return true
        default: return a == b
        }
    }

    var snapshot: [String: CELType] { substitution }
    mutating func restore(_ saved: [String: CELType]) { substitution = saved }

    /// The join of two element types of one literal: the more general when compatible,
    /// `dyn` otherwise (mixed literals are allowed and typed dynamically).
    mutating func join(_ previous: CELType, _ current: CELType) -> CELType {
        let saved = snapshot
        guard unify(previous, current) else {
            restore(saved)
            return .dyn
        }
        let p = apply(previous), c = apply(current)
        return isEqualOrLessSpecific(p, c) ? p : c
    }

    private func isEqualOrLessSpecific(_ a: CELType, _ b: CELType) -> Bool {
        switch (a, b) {
        case (.dyn, _), (.param, _): return true
        case (_, .dyn), (_, .param): return false
        case (.abstract, .null): return true
        case (.null, .abstract): return false
        case (.list(let x), .list(let y)): return isEqualOrLessSpecific(x, y)
        case (.map(let k1, let v1), .map(let k2, let v2)):
            return isEqualOrLessSpecific(k1, k2) && isEqualOrLessSpecific(v1, v2)
        case (.type(let x), .type(let y)): return isEqualOrLessSpecific(x, y)
        case (.abstract(let n1, let p1), .abstract(let n2, let p2)) where n1 == n2 && p1.count == p2.count:
            return zip(p1, p2).allSatisfy { isEqualOrLessSpecific($0, $1) }
        default: return true
        }
    }
}
