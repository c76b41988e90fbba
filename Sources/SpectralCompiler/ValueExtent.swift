import SpectralBytecode
import SpectralSyntax

/// What the compiler knows of the size of a value: the most bytes a string or bytes value
/// can hold, the most elements a list or map can have, and the most work comparing it can
/// take. Known for literals, for inputs a schema bounds (`CheckedExpr.sizeBounds`), and
/// for what is built from known parts; nil when unknown. The static cost bound prices
/// size-charged work by these (`OperationWorkBound`).
struct ValueExtent {
    let checked: CheckedExpr
    /// What is known of each comprehension variable and binding in scope, by name,
    /// innermost last, found when it was bound: its scope's names may differ from the uses'.
    var locals: [String: [Local]] = [:]

    /// What is known of a local's values; nil where only its type and schema tell.
    struct Local {
        var bytes: UInt64?
        var entries: UInt64?
        var comparisonWork: UInt64?
        /// Whether its values are all parts of the bound input (or scalars): never a list
        /// or map the evaluation built.
        var isInputPart = false
    }

    /// What `value`'s value gives a binding (`cel.bind`, a `cel.block` slot).
    func binding(_ value: Expr) -> Local {
        Local(bytes: bytes(of: value), entries: entries(of: value), comparisonWork: comparisonWork(of: value),
              isInputPart: isInputPart(value))
    }

    /// What a comprehension variable over `range` is known to be: one of a literal list's
    /// elements (the largest), or an element of the input.
    func element(of range: Expr) -> Local {
        var local = Local(isInputPart: isInputPart(range))
        if case .list(let items) = range.kind, !items.isEmpty {
            local.bytes = items.largest(bytes(of:))
            local.entries = items.largest(entries(of:))
            local.comparisonWork = items.largest(comparisonWork(of:))
        }
        return local
    }

    private func local(_ expr: Expr) -> Local? {
        guard case .local(let name)? = checked.references[expr.id] else { return nil }
        return locals[name]?.last
    }

    private func type(of expr: Expr) -> CELType { checked.types[expr.id] ?? .dyn }

    /// Whether `expr`'s value is part of the bound input, or a scalar literal: never a list
    /// or map this evaluation built (which appending it to another must walk).
    func isInputPart(_ expr: Expr) -> Bool {
        switch checked.references[expr.id] {
        case .variable?: return true
        case .local?: return local(expr)?.isInputPart ?? false
        default: break
        }
        switch expr.kind {
        case .literal: return true
        case .select(let operand, _, false): return isInputPart(operand)
        case .call("_[_]", nil, let operands) where operands.count == 2: return isInputPart(operands[0])
        default: return false
        }
    }

    /// The most UTF-8 bytes (a string) or bytes (a bytes value) `expr` can hold.
    func bytes(of expr: Expr) -> UInt64? {
        if let known = local(expr)?.bytes { return known }
        switch expr.kind {
        case .literal(.string(let text)): return UInt64(text.utf8.count)
        case .literal(.bytes(let data)): return UInt64(data.count)
        case .call("_+_", nil, let operands) where operands.count == 2:
            guard let a = bytes(of: operands[0]), let b = bytes(of: operands[1]) else { return nil }
            return Saturating.add(a, b)
        default:
            // What a library function makes (`string(x)`, `trim`, `replace`, `strings.quote`).
            if case .call(_, let receiver, let arguments) = expr.kind, let overloads = checked.overloads[expr.id],
               let made = CallWorkBound.resultBytes(overloads: overloads, operands: (receiver.map { [$0] } ?? []) + arguments,
                                                    extent: self) {
                return made
            }
            guard let bound = checked.sizeBounds[expr.id] else { return nil }
            switch type(of: expr) {
            case .string, .nullable(.string), .bytes: return bound
            default: return nil
            }
        }
    }

    /// The most elements a list, or entries a map, `expr` can have.
    func entries(of expr: Expr) -> UInt64? {
        if let known = local(expr)?.entries { return known }
        switch expr.kind {
        case .list(let elements): return UInt64(elements.count)
        case .map(let entries): return UInt64(entries.count)
        case .call("_+_", nil, let operands) where operands.count == 2:
            guard let a = entries(of: operands[0]), let b = entries(of: operands[1]) else { return nil }
            return Saturating.add(a, b)
        case .comprehension(let c):
            // `map`, `filter`, `transformList`: a list built from empty, to which each
            // iteration adds at most one element, is no longer than its range.
            guard case .list(let initial) = c.accuInit.kind, initial.isEmpty, Self.names(c.result, c.accuVar),
                  Self.addsAtMostOne(c.loopStep, to: c.accuVar) else { return nil }
            return entries(of: c.iterRange)
        default:
            switch type(of: expr) {
            case .list, .map, .object: return checked.sizeBounds[expr.id]
            default: return nil
            }
        }
    }

    private static func names(_ expr: Expr, _ name: String) -> Bool {
        if case .ident(name) = expr.kind { return true }
        return false
    }

    /// Whether a comprehension step leaves the accumulator as it is or appends one element:
    /// `@result`, `@result + [e]`, or a choice between such steps.
    private static func addsAtMostOne(_ step: Expr, to accumulator: String) -> Bool {
        switch step.kind {
        case .ident(accumulator): return true
        case .call("_+_", nil, let operands) where operands.count == 2:
            guard names(operands[0], accumulator), case .list(let added) = operands[1].kind else { return false }
            return added.count == 1
        case .call("_?_:_", nil, let operands) where operands.count == 3:
            return addsAtMostOne(operands[1], to: accumulator) && addsAtMostOne(operands[2], to: accumulator)
        default: return false
        }
    }

    /// The most work (`Equality.equals`'s count: a unit per value, and one per 16 bytes
    /// of a string or bytes) comparing `expr`'s value with any other can take. The work
    /// of comparing two values is at most the smaller of theirs: strings are read only
    /// when their lengths match, and aggregates only when their sizes do.
    func comparisonWork(of expr: Expr) -> UInt64? {
        if let known = local(expr)?.comparisonWork { return known }
        switch expr.kind {
        case .list(let elements):
            return elements.total(comparisonWork(of:)).map { Saturating.add(1, $0) }
        case .map(let entries):
            // A small map's key lookup scans it: at most its size per key.
            let count = UInt64(entries.count)
            return entries.total { comparisonWork(of: $0.value).map { Saturating.add(count, $0) } }.map { Saturating.add(1, $0) }
        default:
            return comparisonWork(of: type(of: expr), bytes: bytes(of: expr), entries: entries(of: expr))
        }
    }

    /// By type alone: scalars take one unit; strings and bytes one more per 16 bytes;
    /// lists and maps of scalars one per element (and a map's key scan).
    private func comparisonWork(of type: CELType, bytes: UInt64?, entries: UInt64?) -> UInt64? {
        switch type {
        case .null, .bool, .int, .uint, .double, .timestamp, .duration, .type: return 1
        case .string, .bytes: return bytes.map { 1 + $0 / 16 }
        case .nullable(let inner): return comparisonWork(of: inner, bytes: bytes, entries: entries)
        case .abstract("net.IP", _), .abstract("net.CIDR", _): return 1
        case .abstract("optional_type", let parameters) where parameters.count == 1:
            return comparisonWork(of: parameters[0], bytes: nil, entries: nil).map { Saturating.add($0, 1) }
        case .list(let element):
            guard let entries, let each = comparisonWork(of: element, bytes: nil, entries: nil) else { return nil }
            return Saturating.add(1, Saturating.multiply(entries, each))
        case .map(_, let value):
            guard let entries, let each = comparisonWork(of: value, bytes: nil, entries: nil) else { return nil }
            return Saturating.add(1, Saturating.multiply(entries, Saturating.add(entries, each)))
        default: return nil
        }
    }

    /// Whether values of `expr`'s type can have a size (strings, bytes, lists, maps, or a
    /// type not known): what concatenating them charges depends on it.
    func mayBeSized(_ expr: Expr) -> Bool {
        switch type(of: expr) {
        case .null, .bool, .int, .uint, .double, .timestamp, .duration, .type: return false
        case .abstract("net.IP", _), .abstract("net.CIDR", _): return false
        default: return true
        }
    }

    /// Whether values of `expr`'s type can be lists or maps.
    func mayBeAggregate(_ expr: Expr) -> Bool {
        switch type(of: expr) {
        case .list, .map, .object, .dyn, .param, .error: return true
        case .nullable(let inner): return inner == .dyn
        default: return false
        }
    }
}
