/// A node of the abstract syntax tree.
///
/// Operators are calls with CEL's internal function names (`_+_`, `_==_`, `!_`, `-_`,
/// `_?_:_`, `_[_]`, `@in`, `_&&_`, `_||_`, ...), as in the CEL specification, so the
/// checker and code generator treat them like any other overloaded function.
/// Macros (`has`, `all`, `exists`, `exists_one`, `map`, `filter`, the two-variable
/// forms, `cel.bind`, `cel.block`) are expanded by the parser into
/// `select(testOnly: true)` and `comprehension` nodes.
public struct Expr: Sendable {
    /// Unique within one parse; the checker keys its type annotations by it.
    public var id: Int
    public var span: SourceSpan
    public var kind: Kind

    public init(id: Int, span: SourceSpan, kind: Kind) {
        self.id = id
        self.span = span
        self.kind = kind
    }

    public indirect enum Kind: Sendable {
        case literal(Literal)
        /// An identifier; a leading `.` (root scope) is kept in the name: `.y`.
        case ident(String)
        /// `operand.field`; `testOnly` is the presence test produced by `has(operand.field)`.
        case select(operand: Expr, field: String, testOnly: Bool)
        /// A global call `f(args)` when `target` is nil, a receiver call `target.f(args)` otherwise.
        case call(function: String, target: Expr?, args: [Expr])
        case list(elements: [Expr])
        case map(entries: [MapEntry])
        case comprehension(Comprehension)
    }
}

public struct MapEntry: Sendable {
    public var id: Int
    public var span: SourceSpan
    public var key: Expr
    public var value: Expr

    public init(id: Int, span: SourceSpan, key: Expr, value: Expr) {
        self.id = id
        self.span = span
        self.key = key
        self.value = value
    }
}

/// The expansion of a macro, with CEL's standard fold semantics:
///
///     accu = accuInit
///     for iterVar in iterRange {            // list elements, or map keys
///         if !loopCondition(accu) { break }
///         accu = loopStep
///     }
///     return result(accu)
///
/// With a second iteration variable (the two-variable comprehensions), `iterVar` is
/// the list index or map key and `iterVar2` the list element or map value.
public struct Comprehension: Sendable {
    public var iterVar: String
    public var iterVar2: String?
    public var iterRange: Expr
    public var accuVar: String
    public var accuInit: Expr
    public var loopCondition: Expr
    public var loopStep: Expr
    public var result: Expr
    /// Which macro produced it; lets the code generator emit specialised loops.
    public var macro: Macro

    public init(iterVar: String, iterVar2: String? = nil, iterRange: Expr, accuVar: String, accuInit: Expr,
                loopCondition: Expr, loopStep: Expr, result: Expr, macro: Macro) {
        self.iterVar = iterVar
        self.iterVar2 = iterVar2
        self.iterRange = iterRange
        self.accuVar = accuVar
        self.accuInit = accuInit
        self.loopCondition = loopCondition
        self.loopStep = loopStep
        self.result = result
        self.macro = macro
    }

    public enum Macro: String, Sendable {
        case all, exists, existsOne = "exists_one", map, mapFilter = "map_filter", filter
        case transformList, transformListFilter = "transformList_filter"
        case transformMap, transformMapFilter = "transformMap_filter"
        case transformMapEntry, transformMapEntryFilter = "transformMapEntry_filter"
        /// `cel.bind` and the slots of `cel.block`: a fold over an empty range whose
        /// accumulator is the bound name; `accuInit` is the value and `result` the body.
        case bind
    }
}

/// The accumulator variable name used by macro expansions; not a valid identifier,
/// so user code cannot capture it.
public let accumulatorName = "@result"

/// The internal function two-variable `transformMap` and `transformMapEntry` accumulate
/// with: `cel.@mapInsert(map, key, value)` and `cel.@mapInsert(map, entries)`, a new map
/// with the entries added; an existing key is an error. Not a valid identifier either.
public let mapInsertFunction = "cel.@mapInsert"
