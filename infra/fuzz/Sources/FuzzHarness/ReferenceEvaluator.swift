import Spectral

/// The meaning of a subset of CEL in the simplest code that states it: a tree walk over the
/// checked AST. It knows literals, variables, `+ - * / %` and unary minus on int and
/// double (int overflow and division by zero are errors), `== != < <= > >=` on ints,
/// doubles, strings, bools and lists, `! && ||` with CEL's error absorption, `?:`, list
/// literals and concatenation, `in`, `size`, indexing, and the comprehensions the macros
/// `all`, `exists`, `exists_one`, `map` and `filter` expand to (evaluated as CEL's fold), with
/// one or two variables (`all(i, v, ...)`, `existsOne`, `transformList`), and `cel.bind`.
/// Optionals: `optional.of`, `optional.none`, `optional.ofNonZeroValue`, `hasValue`,
/// `value`, `orValue` and `or` (their fallback evaluated only when absent, as cel-go and
/// cel-cpp do), `l[?i]`, `[?o]` list elements, and equality; `optMap`/`optFlatMap` expand to
/// those and a binding. Anything else is `unsupported` (the generator never produces it).
public enum ReferenceEvaluator {
    public enum Outcome: Equatable, Sendable, CustomStringConvertible {
        case value(CELValue)
        case error(String)

        public var description: String {
            switch self {
            case .value(let v): return v.description
            case .error(let m): return "error(\(m))"
            }
        }
    }

    struct Unsupported: Error { var what: String }

    public static func evaluate(_ checked: CheckedExpr, _ bindings: [String: CELValue]) -> Outcome? {
        try? eval(checked.expr, bindings.mapValues(Outcome.value))
    }

    static func eval(_ e: Expr, _ env: [String: Outcome]) throws(Unsupported) -> Outcome {
        switch e.kind {
        case .literal(let literal):
            switch literal {
            case .bool(let b): return .value(.bool(b))
            case .int(let i): return .value(.int(i))
            case .double(let d): return .value(.double(d))
            case .string(let s): return .value(.string(s))
            default: throw Unsupported(what: "literal")
            }
        case .ident(let name):
            guard let value = env[name] else { throw Unsupported(what: "ident \(name)") }
            return value
        case .list(let elements):
            var items: [CELValue] = []
            for element in elements {
                // `?o`: the element is included only when `o` has a value.
                if case .call("@optional_entry", nil, let wrapped) = element.kind, wrapped.count == 1 {
                    switch try eval(wrapped[0], env) {
                    case .value(.optional(let v)): if let v { items.append(v) }
                    case .value: throw Unsupported(what: "optional entry")
                    case .error(let m): return .error(m)
                    }
                    continue
                }
                switch try eval(element, env) {
                case .value(let v): items.append(v)
                case .error(let m): return .error(m)
                }
            }
            return .value(.list(items))
        case .comprehension(let c):
            // CEL's fold, exactly as the spec defines a comprehension.
            let range = try eval(c.iterRange, env)
            guard case .value(let rangeValue) = range else { return range }
            guard case .list(let items) = rangeValue else { throw Unsupported(what: "range") }
            var scope = env
            scope[c.accuVar] = try eval(c.accuInit, env)
            for (index, item) in items.enumerated() {
                // With two variables, the first is the index and the second the element.
                if let second = c.iterVar2 {
                    scope[c.iterVar] = .value(.int(Int64(index)))
                    scope[second] = .value(item)
                } else {
                    scope[c.iterVar] = .value(item)
                }
                guard case .value(.bool(let go)) = try eval(c.loopCondition, scope) else {
                    throw Unsupported(what: "loop condition")
                }
                if !go { break }
                scope[c.accuVar] = try eval(c.loopStep, scope)
            }
            scope[c.iterVar] = nil
            if let second = c.iterVar2 { scope[second] = nil }
            return try eval(c.result, scope)
        case .call(let function, let target, let args):
            if case .ident("optional")? = target?.kind { return try call("optional." + function, args, env) }
            guard let target else { return try call(function, args, env) }
            switch function {
            case "size", "hasValue", "value": return try call(function, [target] + args, env)
            case "or", "orValue": return try optionalOr(function, target, args, env)
            default: throw Unsupported(what: "receiver call \(function)")
            }
        default:
            throw Unsupported(what: "expression kind")
        }
    }

    /// `o.or(p)` / `o.orValue(v)`: the fallback is evaluated only when `o` is absent.
    static func optionalOr(_ function: String, _ target: Expr, _ args: [Expr], _ env: [String: Outcome]) throws(Unsupported) -> Outcome {
        guard args.count == 1 else { throw Unsupported(what: function) }
        switch try eval(target, env) {
        case .error(let m): return .error(m)
        case .value(.optional(let v?)): return .value(function == "or" ? .optional(v) : v)
        case .value(.optional(nil)): return try eval(args[0], env)
        case .value: throw Unsupported(what: "\(function) on a non-optional")
        }
    }

    static func call(_ function: String, _ args: [Expr], _ env: [String: Outcome]) throws(Unsupported) -> Outcome {
        // Non-strict operators first.
        switch function {
        case "_&&_", "_||_":
            let isAnd = function == "_&&_"
            let lhs = try logical(args[0], env), rhs = try logical(args[1], env)
            // A decisive operand (false for &&, true for ||) wins over anything, errors included.
            if lhs == .value(.bool(!isAnd)) || rhs == .value(.bool(!isAnd)) { return .value(.bool(!isAnd)) }
            if case .error = lhs { return lhs }
            if case .error = rhs { return rhs }
            return .value(.bool(isAnd))
        case "@not_strictly_false":
            let v = try logical(args[0], env)
            return .value(.bool(v != .value(.bool(false))))
        case "_?_:_":
            switch try eval(args[0], env) {
            case .value(.bool(true)): return try eval(args[1], env)
            case .value(.bool(false)): return try eval(args[2], env)
            case .error(let m): return .error(m)
            default: throw Unsupported(what: "condition type")
            }
        default: break
        }
        var values: [CELValue] = []
        for arg in args {
            switch try eval(arg, env) {
            case .value(let v): values.append(v)
            case .error(let m): return .error(m)
            }
        }
        return try strict(function, values)
    }

    static func logical(_ e: Expr, _ env: [String: Outcome]) throws(Unsupported) -> Outcome {
        try eval(e, env)
    }

    static func strict(_ function: String, _ v: [CELValue]) throws(Unsupported) -> Outcome {
        switch (function, v.count) {
        case ("!_", 1):
            guard case .bool(let b) = v[0] else { throw Unsupported(what: "!") }
            return .value(.bool(!b))
        case ("-_", 1):
            switch v[0] {
            case .int(let i): return i == Int64.min ? .error("overflow") : .value(.int(-i))
            case .double(let d): return .value(.double(-d))
            default: throw Unsupported(what: "-")
            }
        case ("_+_", 2), ("_-_", 2), ("_*_", 2), ("_/_", 2), ("_%_", 2):
            return try arithmetic(function, v[0], v[1])
        case ("_==_", 2): return .value(.bool(try equal(v[0], v[1])))
        case ("_!=_", 2): return .value(.bool(!(try equal(v[0], v[1]))))
        case ("_<_", 2), ("_<=_", 2), ("_>_", 2), ("_>=_", 2):
            guard let order = try compare(v[0], v[1]) else { return .value(.bool(false)) }  // NaN
            switch function {
            case "_<_": return .value(.bool(order < 0))
            case "_<=_": return .value(.bool(order <= 0))
            case "_>_": return .value(.bool(order > 0))
            default: return .value(.bool(order >= 0))
            }
        case ("@in", 2):
            guard case .list(let items) = v[1] else { throw Unsupported(what: "in") }
            for item in items where try equal(v[0], item) { return .value(.bool(true)) }
            return .value(.bool(false))
        case ("size", 1):
            switch v[0] {
            case .string(let s): return .value(.int(Int64(s.unicodeScalars.count)))
            case .list(let items): return .value(.int(Int64(items.count)))
            default: throw Unsupported(what: "size")
            }
        case ("_[_]", 2):
            guard case .list(let items) = v[0], case .int(let i) = v[1] else { throw Unsupported(what: "index") }
            guard i >= 0, i < items.count else { return .error("index out of bounds") }
            return .value(items[Int(i)])
        case ("_[?_]", 2):
            guard case .list(let items) = v[0], case .int(let i) = v[1] else { throw Unsupported(what: "optional index") }
            return .value(.optional(i >= 0 && i < items.count ? items[Int(i)] : nil))
        case ("optional.of", 1): return .value(.optional(v[0]))
        case ("optional.none", 0): return .value(.optional(nil))
        case ("optional.ofNonZeroValue", 1): return .value(.optional(try isZero(v[0]) ? nil : v[0]))
        case ("hasValue", 1):
            guard case .optional(let wrapped) = v[0] else { throw Unsupported(what: "hasValue") }
            return .value(.bool(wrapped != nil))
        case ("value", 1):
            guard case .optional(let wrapped) = v[0] else { throw Unsupported(what: "value") }
            return wrapped.map(Outcome.value) ?? .error("optional.none() dereference")
        default:
            throw Unsupported(what: function)
        }
    }

    static func arithmetic(_ op: String, _ a: CELValue, _ b: CELValue) throws(Unsupported) -> Outcome {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, overflow): (Int64, Bool)
            switch op {
            case "_+_": (r, overflow) = x.addingReportingOverflow(y)
            case "_-_": (r, overflow) = x.subtractingReportingOverflow(y)
            case "_*_": (r, overflow) = x.multipliedReportingOverflow(by: y)
            case "_/_":
                if y == 0 { return .error("division by zero") }
                (r, overflow) = x.dividedReportingOverflow(by: y)
            default:
                if y == 0 { return .error("modulus by zero") }
                (r, overflow) = x.remainderReportingOverflow(dividingBy: y)
            }
            return overflow ? .error("overflow") : .value(.int(r))
        case (.double(let x), .double(let y)):
            switch op {
            case "_+_": return .value(.double(x + y))
            case "_-_": return .value(.double(x - y))
            case "_*_": return .value(.double(x * y))
            case "_/_": return .value(.double(x / y))
            default: throw Unsupported(what: "double %")
            }
        case (.string(let x), .string(let y)) where op == "_+_": return .value(.string(x + y))
        case (.list(let x), .list(let y)) where op == "_+_": return .value(.list(x + y))
        default: throw Unsupported(what: "arithmetic operands")
        }
    }

    /// CEL's zero values, the ones `optional.ofNonZeroValue` makes absent.
    static func isZero(_ value: CELValue) throws(Unsupported) -> Bool {
        switch value {
        case .int(let i): return i == 0
        case .double(let d): return d == 0
        case .bool(let b): return !b
        case .string(let s): return s.isEmpty
        case .list(let items): return items.isEmpty
        default: throw Unsupported(what: "zero value")
        }
    }

    /// CEL equality: doubles by IEEE (NaN unequal to itself), strings by code points.
    static func equal(_ a: CELValue, _ b: CELValue) throws(Unsupported) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case (.list(let x), .list(let y)):
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where !(try equal(p, q)) { return false }
            return true
        case (.optional(let x), .optional(let y)):
            guard let x, let y else { return x == nil && y == nil }
            return try equal(x, y)
        default: throw Unsupported(what: "equality operands")
        }
    }

    /// -1, 0, 1; nil when unordered (NaN). Strings compare by code points.
    static func compare(_ a: CELValue, _ b: CELValue) throws(Unsupported) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : x == y ? 0 : 1
        case (.double(let x), .double(let y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : x == y ? 0 : 1
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        case (.string(let x), .string(let y)):
            for (p, q) in zip(x.unicodeScalars, y.unicodeScalars) where p != q { return p.value < q.value ? -1 : 1 }
            let (m, n) = (x.unicodeScalars.count, y.unicodeScalars.count)
            return m < n ? -1 : m == n ? 0 : 1
        default: throw Unsupported(what: "comparison operands")
        }
    }
}
