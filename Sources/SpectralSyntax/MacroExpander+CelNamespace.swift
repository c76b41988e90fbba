/// The `cel.` macros of the bindings and block extensions:
///
///     cel.bind(name, init, body)      body with `name` bound to the value of init
///     cel.block([e0, e1, ...], body)  body with slot N bound to eN; a slot sees earlier slots
///     cel.index(N)                    the value of slot N of the enclosing block
///     cel.iterVar(i, j), cel.accuVar(i, j)
///                                     the comprehension variable names `@it:i:j`, `@ac:i:j`
///                                     (what cel-go's common-subexpression optimiser emits)
///
/// A block becomes nested bindings, one per slot, so each slot is evaluated exactly once,
/// before the body, and a reference to a later slot is an undeclared name for the checker.
extension MacroExpander {
    static func expandCelNamespace(function: String, args: [Expr], span: SourceSpan,
                                   nodes: inout NodeFactory) throws(Diagnostic) -> Expr? {
        switch (function, args.count) {
        case ("bind", 3):
            let name = try variableName(args[0], position: "first", of: "cel.bind")
            return bind(name, to: args[1], in: args[2], span: span, nodes: &nodes)
        case ("block", 2):
            guard case .list(let slots) = args[0].kind else {
                throw Diagnostic(.parse, "the first argument of cel.block() must be a list literal", at: args[0].span)
            }
            var body = args[1]
            for (index, slot) in slots.enumerated().reversed() {
                body = bind(blockSlotName(Int64(index)), to: slot, in: body, span: span, nodes: &nodes)
            }
            return body
        case ("index", 1):
            let index = try nonNegativeInt(args[0], of: "cel.index")
            return nodes.ident(blockSlotName(index), span)
        case ("iterVar", 2), ("accuVar", 2):
            let depth = try nonNegativeInt(args[0], of: "cel.\(function)")
            let unique = try nonNegativeInt(args[1], of: "cel.\(function)")
            return nodes.ident("\(function == "iterVar" ? "@it" : "@ac"):\(depth):\(unique)", span)
        default:
            return nil
        }
    }

    /// The local name of block slot N; `@` keeps it apart from every user identifier.
    static func blockSlotName(_ index: Int64) -> String { "@index\(index)" }

    /// `cel.bind` as cel-go expands it: a fold over an empty list whose accumulator is
    /// the bound name, initialised to the value; the result is the body.
    static func bind(_ name: String, to value: Expr, in body: Expr, span: SourceSpan,
                             nodes: inout NodeFactory) -> Expr {
        let fold = Comprehension(iterVar: "#unused", iterRange: nodes.make(.list(elements: []), span),
                                 accuVar: name, accuInit: value,
                                 loopCondition: nodes.literal(.bool(false), span),
                                 loopStep: nodes.ident(name, span), result: body, macro: .bind)
        return nodes.make(.comprehension(fold), span)
    }

    private static func nonNegativeInt(_ arg: Expr, of function: String) throws(Diagnostic) -> Int64 {
        guard case .literal(.int(let value)) = arg.kind, value >= 0 else {
            throw Diagnostic(.parse, "the arguments of \(function)() must be non-negative int literals", at: arg.span)
        }
        return value
    }
}
