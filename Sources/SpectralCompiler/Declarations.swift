import SpectralBytecode

/// What a predicate is checked and compiled against: its input variables, the
/// functions it may call, and the container (namespace) names resolve in.
public struct Declarations: Sendable {
    public var variables: [String: CELType]
    /// The JSON Schema of each variable declared by one: the module carries it, so the
    /// binder validates input against it and binds each value as `variables` types it.
    public var schemas: [String: InputSchema] = [:]
    /// The type the whole expression must have (`bool` for a decision); nil accepts any.
    /// A result typed `dyn` passes: only a type that cannot be it is refused.
    public var resultType: CELType?
    public var functions: [String: FunctionDecl]
    /// A dotted namespace: with container `a.b`, the name `x` resolves to `a.b.x`, `a.x`, then `x`.
    public var container: String

    /// `library` is the standard library (SpectralVM's `Library.signatures`, each made a
    /// `FunctionDecl`, which the `Spectral` facade passes): the compiler does not link the
    /// VM, whose table declares each function's signatures beside its implementations.
    public init(library: [FunctionDecl], variables: [String: CELType] = [:], functions: [FunctionDecl] = [],
                container: String = "") {
        self.variables = variables
        self.container = container
        self.functions = [:]
        for decl in library + functions { declare(decl) }
    }

    /// Adds declared (custom) functions on top of the standard library.
    public mutating func declare(_ decl: FunctionDecl) {
        if var existing = functions[decl.name] {
            existing.overloads += decl.overloads
            functions[decl.name] = existing
        } else {
            functions[decl.name] = decl
        }
    }
}
