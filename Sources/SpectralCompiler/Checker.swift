import SpectralBytecode
import SpectralSyntax

/// The type checker: infers a type for every node against the declarations and rejects
/// unknown names, calls without a matching overload and misused operators, all before
/// anything runs.
public struct Checker {
    private let declarations: Declarations
    private let references: [Int: Reference]
    private var unifier = TypeUnifier()
    private var types: [Int: CELType] = [:]
    private var overloads: [Int: [String]] = [:]
    /// Each comprehension variable in scope, innermost last: its type, and for an element
    /// of an array the schema declares, its items' size bound (`CheckedExpr.sizeBounds`).
    private var locals: [String: [(type: CELType, sizeBound: UInt64?)]] = [:]
    private var diagnostics: [Diagnostic] = []
    /// Paths (`txn.note`) a null test has proved non-null where the checker now is, with
    /// how many enclosing tests did: a nullable value there has its non-null type.
    private var narrowed: [String: Int] = [:]
    /// See `CheckedExpr.sizeBounds`.
    private var sizeBounds: [Int: UInt64] = [:]
    /// For arrays the schema declares, their items' size bound, by expression id.
    private var elementBounds: [Int: UInt64] = [:]
    /// The `enum`/`const` values of schema-declared expressions, by id.
    private var valueSets: [Int: [Constant]] = [:]

    private init(declarations: Declarations, references: [Int: Reference]) {
        self.declarations = declarations
        self.references = references
    }

    public static func check(_ expr: Expr, declarations: Declarations) throws(CheckFailure) -> CheckedExpr {
        let references = ReferenceResolver.resolve(expr, declarations: declarations)
        var checker = Checker(declarations: declarations, references: references)
        let type = checker.infer(expr)
        if let expected = declarations.resultType, !checker.unifier.unify(type, expected) {
            _ = checker.error("the expression returns '\(checker.show(type))', not the declared '\(expected)'", expr)
        }
        if !checker.diagnostics.isEmpty { throw CheckFailure(diagnostics: checker.diagnostics) }
        let types = checker.types.mapValues { checker.unifier.apply($0, closing: true) }
        return CheckedExpr(expr: expr, types: types, references: references, overloads: checker.overloads,
                           variables: declarations.variables, schemas: declarations.schemas, sizeBounds: checker.sizeBounds)
    }

    /// Builds a `CheckedExpr` without type checking (every node `dyn`), for unchecked evaluation.
    public static func resolveOnly(_ expr: Expr, declarations: Declarations) -> CheckedExpr {
        CheckedExpr(expr: expr, types: [:], references: ReferenceResolver.resolve(expr, declarations: declarations),
                    overloads: [:], variables: declarations.variables, schemas: declarations.schemas)
    }

    private mutating func error(_ message: String, _ expr: Expr) -> CELType {
        diagnostics.append(Diagnostic(.check, message, at: expr.span))
        return .error
    }

    private func show(_ t: CELType) -> String { unifier.apply(t, closing: true).description }

    @discardableResult
    private mutating func infer(_ expr: Expr) -> CELType {
        var type = inferUnrecorded(expr)
        if case .nullable(let inner) = unifier.shallow(type), let path = Self.path(expr), narrowed[path, default: 0] > 0 {
            type = inner
        }
        types[expr.id] = type
        return type
    }

    /// The text of an identifier or a chain of selections on one (`txn.customer.tier`),
    /// nil for anything else: what messages name and null tests narrow.
    static func path(_ expr: Expr) -> String? {
        switch expr.kind {
        case .ident(let name): return name
        case .select(let operand, let field, false): return path(operand).map { $0 + "." + field }
        default: return nil
        }
    }

    private static func subject(_ expr: Expr) -> String { path(expr) ?? "the object" }

    /// The paths `condition` proves non-null when it evaluates to `outcome`:
    /// `x != null` when true, `x == null` when false, through `&&` (true) and `||` (false).
    static func nonNullPaths(_ condition: Expr, when outcome: Bool) -> [String] {
        guard case .call(let function, nil, let args) = condition.kind, args.count == 2 else { return [] }
        switch (function, outcome) {
        case ("_!=_", true), ("_==_", false):
            let other: Expr
            if case .literal(.null) = args[1].kind { other = args[0] }
            else if case .literal(.null) = args[0].kind { other = args[1] }
            else { return [] }
            return path(other).map { [$0] } ?? []
        case ("_&&_", true), ("_||_", false):
            return nonNullPaths(args[0], when: outcome) + nonNullPaths(args[1], when: outcome)
        default:
            return []
        }
    }

    /// Infers `expr` with `paths` known non-null.
    private mutating func inferNarrowed(_ expr: Expr, _ paths: [String]) -> CELType {
        for path in paths { narrowed[path, default: 0] += 1 }
        defer { for path in paths { narrowed[path, default: 0] -= 1 } }
        return infer(expr)
    }

    private mutating func inferUnrecorded(_ expr: Expr) -> CELType {
        if let reference = references[expr.id] {
            switch reference {
            case .variable(let name):
                if let bound = declarations.schemas[name]?.maxSize { sizeBounds[expr.id] = bound }
                if let bound = declarations.schemas[name]?.elementMaxSize { elementBounds[expr.id] = bound }
                if let values = declarations.schemas[name]?.values { valueSets[expr.id] = values }
                return declarations.variables[name] ?? .dyn
            case .local(let name):
                guard let local = locals[name]?.last else { return .dyn }
                if let bound = local.sizeBound { sizeBounds[expr.id] = bound }
                return local.type
            case .type(let name): return .type(NetworkExtensionDeclarations.type(named: name) ?? Self.typeNamed(name))
            case .unresolved(let name): return error("undeclared reference to '\(name)'", expr)
            case .function(let name):
                guard case .call(_, _, let args) = expr.kind else { return .dyn }
                return inferCall(expr, name: name, target: nil, args: args)
            }
        }
        switch expr.kind {
        case .literal(let literal):
            switch literal {
            case .null: return .null
            case .bool: return .bool
            case .int: return .int
            case .uint: return .uint
            case .double: return .double
            case .string: return .string
            case .bytes: return .bytes
            }
        case .ident(let name):
            return error("undeclared reference to '\(name)'", expr)
        case .select(let operand, let field, let testOnly):
            let operandType = unifier.shallow(infer(operand))
            switch operandType {
            case .map(let key, let value):
                let saved = unifier.snapshot
                if !unifier.unify(key, .string) {
                    unifier.restore(saved)
                    return error("type '\(show(operandType))' does not support field selection", expr)
                }
                return testOnly ? .bool : value
            case .dyn, .param, .error:
                return testOnly ? .bool : .dyn
            case .object(let object):
                if let declared = object.field(field) {
                    if !testOnly, let bound = declared.maxSize { sizeBounds[expr.id] = bound }
                    if !testOnly, let bound = declared.elementMaxSize { elementBounds[expr.id] = bound }
                    if !testOnly, let values = declared.values { valueSets[expr.id] = values }
                    return testOnly ? .bool : declared.type
                }
                if let others = object.others { return testOnly ? .bool : others }
                let hint = object.suggestion(for: field).map { "; did you mean '\($0)'?" } ?? ""
                return error("no field '\(field)' in \(Self.subject(operand))\(hint)", expr)
            case .nullable:
                let subject = Self.subject(operand)
                return error("\(subject) may be null: test '\(subject) != null && …' before selecting '\(field)'", expr)
            case .abstract("optional_type", let params) where params.count == 1:
                // A field of an optional map is optional: absent when the map or the field is.
                if testOnly { return .bool }
                switch unifier.shallow(params[0]) {
                case .map(_, let value): return OptionalDeclarations.optional(value)
                case .object(let object):
                    if let declared = object.field(field) { return OptionalDeclarations.optional(declared.type) }
                    if let others = object.others { return OptionalDeclarations.optional(others) }
                    let hint = object.suggestion(for: field).map { "; did you mean '\($0)'?" } ?? ""
                    return error("no field '\(field)' in \(Self.subject(operand))\(hint)", expr)
                case .dyn, .param, .error: return OptionalDeclarations.optional(.dyn)
                default: return error("type '\(show(operandType))' does not support field selection of '\(field)'", expr)
                }
            default:
                return error("type '\(show(operandType))' does not support field selection of '\(field)'", expr)
            }
        case .call(let function, let target, let args):
            return inferCall(expr, name: function, target: target, args: args)
        case .list(let elements):
            var elementType: CELType? = nil
            for element in elements {
                let t = inferEntry(element)
                elementType = elementType.map { unifier.join($0, t) } ?? t
            }
            return .list(elementType ?? unifier.fresh())
        case .map(let entries):
            var keyType: CELType? = nil, valueType: CELType? = nil
            for entry in entries {
                let k = infer(entry.key), v = inferEntry(entry.value)
                switch unifier.shallow(k) {
                case .string, .int, .uint, .bool, .dyn, .param, .error: break
                default: _ = error("unsupported map key type '\(show(k))'", entry.key)
                }
                keyType = keyType.map { unifier.join($0, k) } ?? k
                valueType = valueType.map { unifier.join($0, v) } ?? v
            }
            return .map(keyType ?? unifier.fresh(), valueType ?? unifier.fresh())
        case .comprehension(let c):
            return inferComprehension(c)
        }
    }

    /// A list element or map value; `?e` (`@optional_entry(e)`) contributes the type `e` wraps.
    private mutating func inferEntry(_ expr: Expr) -> CELType {
        guard case .call(OptionalSyntax.entry, nil, let args) = expr.kind, args.count == 1 else { return infer(expr) }
        let optionalType = infer(args[0])
        let wrapped = unifier.fresh()
        if !unifier.unify(OptionalDeclarations.optional(wrapped), optionalType) {
            return error("an optional entry ('?') needs an optional value, found '\(show(optionalType))'", args[0])
        }
        types[expr.id] = optionalType
        return wrapped
    }

    private mutating func inferComprehension(_ c: Comprehension) -> CELType {
        let rangeType = unifier.shallow(infer(c.iterRange))
        // One variable: list elements or map keys. Two: (index, element) or (key, value).
        let iterType: CELType, iterType2: CELType
        switch rangeType {
        case .list(let element): (iterType, iterType2) = c.iterVar2 == nil ? (element, .dyn) : (.int, element)
        case .map(let key, let value): (iterType, iterType2) = (key, value)
        // An object iterates like the map it is bound as: its keys.
        case .object: (iterType, iterType2) = (.string, .dyn)
        case .dyn, .param, .error: (iterType, iterType2) = (.dyn, .dyn)
        default:
            iterType = error("expression of type '\(show(rangeType))' cannot be the range of a comprehension", c.iterRange)
            iterType2 = .error
        }
        let accuType = infer(c.accuInit)
        // The comprehension's variables shadow outer names: a null test on an outer `x`
        // says nothing about the loop's `x`.
        let outerNarrowed = narrowed
        let bound = [c.iterVar, c.accuVar] + (c.iterVar2.map { [$0] } ?? [])
        narrowed = narrowed.filter { entry in !bound.contains { entry.key == $0 || entry.key.hasPrefix($0 + ".") } }
        defer { narrowed = outerNarrowed }
        // A list's elements carry its items' bound: the one variable, or the second of two.
        let elementBound: UInt64? = if case .list = rangeType { elementBounds[c.iterRange.id] } else { nil }
        locals[c.accuVar, default: []].append((accuType, nil))
        locals[c.iterVar, default: []].append((iterType, c.iterVar2 == nil ? elementBound : nil))
        if let second = c.iterVar2 { locals[second, default: []].append((iterType2, elementBound)) }
        let condition = infer(c.loopCondition)
        if !unifier.unify(condition, .bool) {
            _ = error("loop condition must be bool, found '\(show(condition))'", c.loopCondition)
        }
        let step = infer(c.loopStep)
        if !unifier.unify(accuType, step) {
            _ = error("expected type '\(show(accuType))' but found '\(show(step))'", c.loopStep)
        }
        if let second = c.iterVar2 { locals[second]?.removeLast() }
        locals[c.iterVar]?.removeLast()
        let result = infer(c.result)
        locals[c.accuVar]?.removeLast()
        return result
    }

    private mutating func inferCall(_ expr: Expr, name: String, target: Expr?, args: [Expr]) -> CELType {
        switch (name, target) {
        case ("_&&_", nil), ("_||_", nil):
            // `x != null && x > 0`: the right side decides only when the left did not,
            // so there `x` is not null (`x == null || x > 0` likewise).
            var proved: [String] = []
            for arg in args {
                let t = inferNarrowed(arg, proved)
                if !unifier.unify(t, .bool) {
                    _ = error("found no matching overload for '\(name)' applied to '\(show(t))'", arg)
                }
                proved += Self.nonNullPaths(arg, when: name == "_&&_")
            }
            return .bool
        case ("_?_:_", nil) where args.count == 3:
            let condition = infer(args[0])
            if !unifier.unify(condition, .bool) {
                _ = error("found no matching overload for '_?_:_' applied to '\(show(condition))'", args[0])
            }
            let whenTrue = inferNarrowed(args[1], Self.nonNullPaths(args[0], when: true))
            let whenFalse = inferNarrowed(args[2], Self.nonNullPaths(args[0], when: false))
            return unifier.join(whenTrue, whenFalse)
        case ("@not_strictly_false", nil):
            args.forEach { infer($0) }
            return .bool
        default: break
        }
        var argTypes: [CELType] = []
        if let target { argTypes.append(infer(target)) }
        for arg in args { argTypes.append(infer(arg)) }
        if (name == "_==_" || name == "_!=_") && target == nil && args.count == 2 {
            checkAgainstValues(args[0], args[1], name)
            checkAgainstValues(args[1], args[0], name)
        }
        // Equality is defined between any two values (`null == 5` is false), so a
        // nullable operand is compared as its type: `txn.note == 'x'` needs no null test.
        if (name == "_==_" || name == "_!=_") && target == nil && argTypes.count == 2 {
            let (a, b) = (unifier.shallow(argTypes[0]), unifier.shallow(argTypes[1]))
            if case .nullable(let inner) = a, b != .null { argTypes[0] = inner }
            if case .nullable(let inner) = b, a != .null { argTypes[1] = inner }
        }
        guard let decl = declarations.functions[name] else {
            return error("undeclared reference to '\(name)'", expr)
        }
        let receiver = target != nil
        let saved = unifier.snapshot
        var matches: [(id: String, result: CELType, substitution: [String: CELType])] = []
        for overload in decl.overloads where overload.receiver == receiver && overload.params.count == argTypes.count {
            unifier.restore(saved)
            let (params, result) = unifier.instantiate(overload)
            if zip(params, argTypes).allSatisfy({ unifier.unify($0, $1) }) {
                matches.append((overload.id, unifier.apply(result), unifier.snapshot))
            }
        }
        unifier.restore(saved)
        guard let first = matches.first else {
            let shown = argTypes.map(show)
            let signature = receiver ? "\(shown[0]).\(name)(\(shown.dropFirst().joined(separator: ", ")))"
                                     : "\(name)(\(shown.joined(separator: ", ")))"
            let operands = (target.map { [$0] } ?? []) + args
            let nullable = zip(operands, argTypes).first { if case .nullable = unifier.shallow($0.1) { return true }; return false }
            let hint = nullable.map { ". \(Self.subject($0.0)) may be null: test '\(Self.subject($0.0)) != null && …' first" } ?? ""
            return error("found no matching overload for '\(name)' applied to '\(signature)'\(hint)", expr)
        }
        overloads[expr.id] = matches.map(\.id)
        if matches.count == 1 {
            unifier.restore(first.substitution)
            return first.result
        }
        var result = first.result
        for match in matches.dropFirst() where match.result != result {
            result = .dyn
        }
        return result
    }

    /// `txn.currency == 'GBP'` where the schema allows only "EUR" and "USD" can never
    /// hold (and `!=` always does): almost surely a typo, so a check error.
    private mutating func checkAgainstValues(_ subject: Expr, _ other: Expr, _ name: String) {
        guard let values = valueSets[subject.id], case .literal(let literal) = other.kind else { return }
        let constant: Constant
        switch literal {
        case .null: constant = .null
        case .bool(let b): constant = .bool(b)
        case .int(let i): constant = .int(i)
        case .uint(let u): constant = .uint(u)
        case .double(let d): constant = .double(d)
        case .string(let s): constant = .string(s)
        case .bytes: return
        }
        guard !values.contains(where: { Self.sameValue($0, constant) }) else { return }
        let shown = values.prefix(10).map(Self.shown).joined(separator: ", ") + (values.count > 10 ? ", …" : "")
        let verdict = name == "_==_" ? "never true" : "always true"
        _ = error("\(Self.subject(subject)) is one of \(shown) by its schema: comparing it with \(Self.shown(constant)) is \(verdict)", other)
    }

    private static func sameValue(_ a: Constant, _ b: Constant) -> Bool {
        switch (a, b) {
        case (.int(let x), .uint(let y)), (.uint(let y), .int(let x)): return x >= 0 && UInt64(x) == y
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        case (.uint(let x), .double(let y)), (.double(let y), .uint(let x)): return Double(x) == y
        case (.double(let x), .double(let y)): return x == y
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        default: return a == b
        }
    }

    private static func shown(_ value: Constant) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .int(let i): return String(i)
        case .uint(let u): return "\(u)u"
        case .double(let d): return String(d)
        case .string(let s): return "'\(s.count > 40 ? String(s.prefix(40)) + "…" : s)'"
        default: return "a value"
        }
    }

    /// The type a type name denotes.
    static func typeNamed(_ name: String) -> CELType {
        switch name {
        case "int": return .int
        case "uint": return .uint
        case "double": return .double
        case "bool": return .bool
        case "string": return .string
        case "bytes": return .bytes
        case "list": return .list(.dyn)
        case "map": return .map(.dyn, .dyn)
        case "null_type": return .null
        case "type": return .type(.dyn)
        case "google.protobuf.Timestamp": return .timestamp
        case "google.protobuf.Duration": return .duration
        case "optional_type": return OptionalDeclarations.optional(.dyn)
        default: return .dyn
        }
    }
}
