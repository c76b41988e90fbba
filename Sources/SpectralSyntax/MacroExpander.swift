/// Expands CEL's standard macros into `select(testOnly:)` and comprehension nodes, with
/// the same shapes as cel-go's standard macros, so every CEL evaluator agrees on their
/// error and short-circuit behaviour.
///
/// A name with another argument count (or a global `all(...)`) is not a macro and stays
/// a plain call: `expand` returns nil.
enum MacroExpander {
    static func expand(function: String, target: Expr?, args: [Expr], span: SourceSpan,
                       nodes: inout NodeFactory) throws(Diagnostic) -> Expr? {
        guard let target else {
            guard function == "has", args.count == 1 else { return nil }
            return try expandHas(args[0], span: span, nodes: &nodes)
        }
        if function == "optMap" || function == "optFlatMap", args.count == 2 {
            return try expandOptionalMap(flat: function == "optFlatMap", target, args, span: span, nodes: &nodes)
        }
        let macro: Comprehension.Macro
        switch (function, args.count) {
        case ("all", 2): macro = .all
        case ("exists", 2): macro = .exists
        case ("exists_one", 2): macro = .existsOne
        case ("map", 2): macro = .map
        case ("map", 3): macro = .mapFilter
        case ("filter", 2): macro = .filter
        default: return nil
        }
        guard case .ident(let iterVar) = args[0].kind, !iterVar.hasPrefix(".") else {
            throw Diagnostic(.parse, "the first argument of \(function)() must be a simple variable name",
                             at: args[0].span)
        }
        return comprehension(macro, iterVar: iterVar, range: target, args: args, span: span, nodes: &nodes)
    }

    /// `has(m.f)` is a presence test of field `f`, never an evaluation of `m.f`.
    private static func expandHas(_ arg: Expr, span: SourceSpan, nodes: inout NodeFactory) throws(Diagnostic) -> Expr {
        guard case .select(let operand, let field, false) = arg.kind else {
            throw Diagnostic(.parse, "invalid argument to has() macro: expected a field selection like 'm.f'",
                             at: arg.span)
        }
        return nodes.make(.select(operand: operand, field: field, testOnly: true), span)
    }

    /// `o.optMap(v, e)` is `o.hasValue() ? optional.of(e with v = o.value()) : optional.none()`;
    /// `optFlatMap` leaves out the `optional.of` (`e` is itself optional). The binding is
    /// a fold over an empty range whose accumulator is `v`, as in cel-go.
    private static func expandOptionalMap(flat: Bool, _ target: Expr, _ args: [Expr], span: SourceSpan,
                                          nodes: inout NodeFactory) throws(Diagnostic) -> Expr {
        let function = flat ? "optFlatMap" : "optMap"
        guard case .ident(let variable) = args[0].kind, !variable.hasPrefix(".") else {
            throw Diagnostic(.parse, "the first argument of \(function)() must be a simple variable name", at: args[0].span)
        }
        let value = nodes.call("value", [], target: target, span)
        let binding = Comprehension(
            iterVar: "#unused", iterRange: nodes.make(.list(elements: []), span), accuVar: variable, accuInit: value,
            loopCondition: nodes.literal(.bool(false), span), loopStep: nodes.ident(variable, span), result: args[1],
            macro: flat ? .optFlatMap : .optMap)
        let bound = nodes.make(.comprehension(binding), span)
        let present = flat ? bound : nodes.call("optional.of", [bound], span)
        let hasValue = nodes.call("hasValue", [], target: target, span)
        return nodes.call("_?_:_", [hasValue, present, nodes.call("optional.none", [], span)], span)
    }

    private static func comprehension(_ macro: Comprehension.Macro, iterVar: String, range: Expr, args: [Expr],
                                      span: SourceSpan, nodes: inout NodeFactory) -> Expr {
        // Synthesised nodes carry the span of the whole macro call.
        func accu(_ nodes: inout NodeFactory) -> Expr { nodes.ident(accumulatorName, span) }
        let initial: Expr, condition: Expr, step: Expr, result: Expr
        switch macro {
        case .all, .exists:
            let isAll = macro == .all
            initial = nodes.literal(.bool(isAll), span)
            // Stop early once the outcome is decided: a false (all) or true (exists)
            // accumulator; errors keep the loop going so a later decisive element absorbs them.
            let decided = isAll ? accu(&nodes) : nodes.call("!_", [accu(&nodes)], span)
            condition = nodes.call("@not_strictly_false", [decided], span)
            step = nodes.call(isAll ? "_&&_" : "_||_", [accu(&nodes), args[1]], span)
            result = accu(&nodes)
        case .existsOne:
            initial = nodes.literal(.int(0), span)
            condition = nodes.literal(.bool(true), span)
            let increment = nodes.call("_+_", [accu(&nodes), nodes.literal(.int(1), span)], span)
            step = nodes.call("_?_:_", [args[1], increment, accu(&nodes)], span)
            result = nodes.call("_==_", [accu(&nodes), nodes.literal(.int(1), span)], span)
        case .map, .mapFilter, .filter:
            initial = nodes.make(.list(elements: []), span)
            condition = nodes.literal(.bool(true), span)
            let element: Expr
            switch macro {
            case .map: element = args[1]
            case .mapFilter: element = args[2]
            default: element = nodes.ident(iterVar, args[0].span)
            }
            let appended = nodes.call("_+_", [accu(&nodes), nodes.make(.list(elements: [element]), element.span)], span)
            if macro == .map {
                step = appended
            } else {
                step = nodes.call("_?_:_", [args[1], appended, accu(&nodes)], span)
            }
            result = accu(&nodes)
        case .optMap, .optFlatMap:
            preconditionFailure("optMap and optFlatMap are expanded by expandOptionalMap")
        }
        let fold = Comprehension(iterVar: iterVar, iterRange: range, accuVar: accumulatorName, accuInit: initial,
                                 loopCondition: condition, loopStep: step, result: result, macro: macro)
        return nodes.make(.comprehension(fold), span)
    }
}
