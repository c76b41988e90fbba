/// Expands CEL's standard macros into `select(testOnly:)` and comprehension nodes, with
/// the same shapes as cel-go's standard macros, so every CEL evaluator agrees on their
/// error and short-circuit behaviour. The two-variable comprehensions and the `cel.`
/// macros (bind, block) live in extensions of this type.
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
        if case .ident("cel") = target.kind,
           let expanded = try expandCelNamespace(function: function, args: args, span: span, nodes: &nodes) {
            return expanded
        }
        if let macro = twoVariableMacro(function, argumentCount: args.count) {
            return try expandTwoVariable(macro, function: function, range: target, args: args, span: span, nodes: &nodes)
        }
        let macro: Comprehension.Macro
        switch (function, args.count) {
        case ("all", 2): macro = .all
        case ("exists", 2): macro = .exists
        case ("exists_one", 2), ("existsOne", 2): macro = .existsOne
        case ("map", 2): macro = .map
        case ("map", 3): macro = .mapFilter
        case ("filter", 2): macro = .filter
        default: return nil
        }
        let iterVar = try variableName(args[0], position: "first", of: function)
        return comprehension(macro, iterVars: (iterVar, nil), varSpan: args[0].span, range: target,
                             body: Array(args.dropFirst()), span: span, nodes: &nodes)
    }

    /// The name of a comprehension variable argument: a plain identifier. (`cel.iterVar`
    /// and `cel.accuVar` have already become identifiers like `@it:0:0` here.)
    static func variableName(_ arg: Expr, position: String, of function: String) throws(Diagnostic) -> String {
        guard case .ident(let name) = arg.kind, !name.hasPrefix("."), name != accumulatorName else {
            throw Diagnostic(.parse, "the \(position) argument of \(function)() must be a simple variable name",
                             at: arg.span)
        }
        return name
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
    /// `optFlatMap` leaves out the `optional.of` (`e` is itself optional). The bindings are
    /// `cel.bind`'s fold over an empty range, as in cel-go.
    ///
    /// Unlike cel-go, `o` is bound once (to `@optional_target`) rather than copied into both
    /// `hasValue` and `value`: copies make a chain `o.optMap(..).optMap(..)...` of n calls
    /// 2^n nodes, so a 300-byte source took minutes to check and compile.
    private static func expandOptionalMap(flat: Bool, _ target: Expr, _ args: [Expr], span: SourceSpan,
                                          nodes: inout NodeFactory) throws(Diagnostic) -> Expr {
        let function = flat ? "optFlatMap" : "optMap"
        guard case .ident(let variable) = args[0].kind, !variable.hasPrefix(".") else {
            throw Diagnostic(.parse, "the first argument of \(function)() must be a simple variable name", at: args[0].span)
        }
        let value = nodes.call("value", [], target: nodes.ident(optionalTargetName, span), span)
        let bound = bind(variable, to: value, in: args[1], span: span, nodes: &nodes)
        let present = flat ? bound : nodes.call("optional.of", [bound], span)
        let hasValue = nodes.call("hasValue", [], target: nodes.ident(optionalTargetName, span), span)
        let choice = nodes.call("_?_:_", [hasValue, present, nodes.call("optional.none", [], span)], span)
        return bind(optionalTargetName, to: target, in: choice, span: span, nodes: &nodes)
    }

    /// The binding `optMap` and `optFlatMap` hold their target in; not a valid identifier,
    /// so user code cannot refer to it.
    static let optionalTargetName = "@optional_target"

    /// Builds the fold for `macro`. `body` holds the arguments after the variable names:
    /// the predicate or transform, preceded by the filter for the filtering forms.
    static func comprehension(_ macro: Comprehension.Macro, iterVars: (String, String?), varSpan: SourceSpan,
                              range: Expr, body: [Expr], span: SourceSpan, nodes: inout NodeFactory) -> Expr {
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
            step = nodes.call(isAll ? "_&&_" : "_||_", [accu(&nodes), body[0]], span)
            result = accu(&nodes)
        case .existsOne:
            initial = nodes.literal(.int(0), span)
            condition = nodes.literal(.bool(true), span)
            let increment = nodes.call("_+_", [accu(&nodes), nodes.literal(.int(1), span)], span)
            step = nodes.call("_?_:_", [body[0], increment, accu(&nodes)], span)
            result = nodes.call("_==_", [accu(&nodes), nodes.literal(.int(1), span)], span)
        case .map, .mapFilter, .filter, .transformList, .transformListFilter:
            initial = nodes.make(.list(elements: []), span)
            condition = nodes.literal(.bool(true), span)
            let element: Expr
            switch macro {
            case .map, .transformList: element = body[0]
            case .mapFilter, .transformListFilter: element = body[1]
            default: element = nodes.ident(iterVars.0, varSpan)
            }
            let appended = nodes.call("_+_", [accu(&nodes), nodes.make(.list(elements: [element]), element.span)], span)
            if macro == .map || macro == .transformList {
                step = appended
            } else {
                step = nodes.call("_?_:_", [body[0], appended, accu(&nodes)], span)
            }
            result = accu(&nodes)
        case .transformMap, .transformMapFilter, .transformMapEntry, .transformMapEntryFilter:
            initial = nodes.make(.map(entries: []), span)
            condition = nodes.literal(.bool(true), span)
            let filtered = macro == .transformMapFilter || macro == .transformMapEntryFilter
            let value = filtered ? body[1] : body[0]
            // transformMap inserts key -> value; transformMapEntry merges a map of entries.
            let inserted = macro == .transformMap || macro == .transformMapFilter
                ? [accu(&nodes), nodes.ident(iterVars.0, varSpan), value]
                : [accu(&nodes), value]
            let insert = nodes.call(mapInsertFunction, inserted, span)
            step = filtered ? nodes.call("_?_:_", [body[0], insert, accu(&nodes)], span) : insert
            result = accu(&nodes)
        case .bind:
            preconditionFailure("cel.bind is built by expandCelNamespace")
        }
        let fold = Comprehension(iterVar: iterVars.0, iterVar2: iterVars.1, iterRange: range,
                                 accuVar: accumulatorName, accuInit: initial,
                                 loopCondition: condition, loopStep: step, result: result, macro: macro)
        return nodes.make(.comprehension(fold), span)
    }
}
