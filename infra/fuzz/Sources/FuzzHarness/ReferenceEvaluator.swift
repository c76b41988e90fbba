import Spectral

/// The meaning of a subset of CEL in the simplest code that states it: a tree walk over the
/// checked AST. It knows literals, variables, `+ - * / %` and unary minus on int and
/// double (int overflow and division by zero are errors), `== != < <= > >=` on ints,
/// doubles, strings, bools and lists, `! && ||` with CEL's error absorption, `?:`, list
/// literals and concatenation, `in`, `size`, indexing, and the comprehensions the macros
/// `all`, `exists`, `exists_one`, `map` and `filter` expand to (evaluated as CEL's fold).
/// Anything else is `unsupported` (the generator never produces it).
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
            for item in items {
                scope[c.iterVar] = .value(item)
                guard case .value(.bool(let go)) = try eval(c.loopCondition, scope) else {
                    throw Unsupported(what: "loop condition")
                }
                if !go { break }
                scope[c.accuVar] = try eval(c.loopStep, scope)
            }
            scope[c.iterVar] = nil
            return try eval(c.result, scope)
        case .call(let function, let target, let args):
            guard target == nil || function == "size" else { throw Unsupported(what: "receiver call \(function)") }
            let operands = (target.map { [$0] } ?? []) + args
            return try call(function, operands, env)
        default:
            throw Unsupported(what: "expression kind")
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
