/// The two-variable comprehensions (cel-go's comprehensions extension): over a list the
/// first variable is the index and the second the element; over a map, key and value.
///
///     e.all(k, v, p)  e.exists(k, v, p)  e.existsOne(k, v, p)  e.exists_one(k, v, p)
///     e.transformList(k, v, [filter,] value)      -> list
///     e.transformMap(k, v, [filter,] value)       -> map from k to value
///     e.transformMapEntry(k, v, [filter,] entry)  -> map merging the `entry` maps
extension MacroExpander {
    static func twoVariableMacro(_ function: String, argumentCount: Int) -> Comprehension.Macro? {
        switch (function, argumentCount) {
        case ("all", 3): return .all
        case ("exists", 3): return .exists
        case ("existsOne", 3), ("exists_one", 3): return .existsOne
        case ("transformList", 3): return .transformList
        case ("transformList", 4): return .transformListFilter
        case ("transformMap", 3): return .transformMap
        case ("transformMap", 4): return .transformMapFilter
        case ("transformMapEntry", 3): return .transformMapEntry
        case ("transformMapEntry", 4): return .transformMapEntryFilter
        default: return nil
        }
    }

    static func expandTwoVariable(_ macro: Comprehension.Macro, function: String, range: Expr, args: [Expr],
                                  span: SourceSpan, nodes: inout NodeFactory) throws(Diagnostic) -> Expr {
        let first = try variableName(args[0], position: "first", of: function)
        let second = try variableName(args[1], position: "second", of: function)
        // One name for both would make the index/key unreachable: cel-go rejects it too.
        guard first != second else {
            throw Diagnostic(.parse, "the two variables of \(function)() must have different names",
                             at: args[0].span.merged(with: args[1].span))
        }
        return comprehension(macro, iterVars: (first, second), varSpan: args[0].span, range: range,
                             body: Array(args.dropFirst(2)), span: span, nodes: &nodes)
    }
}
