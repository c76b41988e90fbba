import SpectralBytecode
import SpectralSyntax

/// The result of checking: the AST with a type and, where relevant, a reference and the
/// matching overloads for every node.
public struct CheckedExpr: Sendable {
    public var expr: Expr
    public var types: [Int: CELType]
    public var references: [Int: Reference]
    /// Overload ids that matched each call, by call id (more than one under `dyn`).
    public var overloads: [Int: [String]]
    /// The declared input variables it was checked against: the code generator writes
    /// their types into the module, so that a loaded module binds its input unaided.
    public var variables: [String: CELType] = [:]
    /// The JSON Schemas of variables declared by one, written into the module in place
    /// of the type `variables` gives them.
    public var schemas: [String: InputSchema] = [:]
    /// The most elements (or members) each expression can have, by id, where a schema
    /// bounds it (`maxItems`, `maxProperties`): what bounds a comprehension over it. For
    /// a string, its most UTF-8 bytes (`maxLength`): what bounds string functions over it.
    public var sizeBounds: [Int: UInt64] = [:]

    public var resultType: CELType { types[expr.id] ?? .dyn }
}

/// Every error the checker found.
public struct CheckFailure: Error, Sendable {
    public var diagnostics: [Diagnostic]
}
